"""Demo courses loaded by `manage.py seed_demo`: real substance, Spanish source with English translation."""

COURSES = [
    # ------------------------------------------------------------------------------------------
    # ETI-101: flagship course
    # ------------------------------------------------------------------------------------------
    {
        "code": "ETI-101",
        "title": {
            "es": "Ética Pública y Prevención de la Corrupción",
            "en": "Public Ethics and Prevention of Corruption",
        },
        "summary": {
            "es": "Curso introductorio sobre los principios, deberes y prohibiciones de la función pública en el Perú, la gestión de los conflictos de intereses, el tratamiento de regalos y dádivas, y los canales para denunciar actos de corrupción con protección al denunciante.",
            "en": "An introductory course on the principles, duties and prohibitions of public service in Peru, the management of conflicts of interest, the handling of gifts and improper benefits, and the channels for reporting corruption with whistleblower protection.",
        },
        "objectives": {
            "es": [
                "Identificar los principios, deberes y prohibiciones del Código de Ética de la Función Pública (Ley N.° 27815) y aplicarlos a situaciones concretas de su cargo.",
                "Reconocer situaciones de conflicto de intereses y gestionarlas mediante la declaración jurada de intereses (Ley N.° 31227) y la abstención.",
                "Distinguir una atención de cortesía de una dádiva indebida y conocer las modalidades de cohecho que sanciona el Código Penal.",
                "Utilizar los canales de denuncia disponibles y conocer las medidas de protección al denunciante del Decreto Legislativo N.° 1327.",
            ],
            "en": [
                "Identify the principles, duties and prohibitions of the Code of Ethics of Public Service (Law No. 27815) and apply them to concrete situations in your post.",
                "Recognise conflicts of interest and manage them through the sworn declaration of interests (Law No. 31227) and recusal.",
                "Tell a courtesy apart from an improper gift and know the forms of bribery punished by the Criminal Code.",
                "Use the available reporting channels and know the whistleblower protection measures of Legislative Decree No. 1327.",
            ],
        },
        "audience": [
            "juez",
            "fiscal",
            "policia",
            "funcionario",
            "auditor",
            "procurador",
            "abogado",
        ],
        "contact_hours": 12,
        "modality": "online",
        "sensitisation_only": False,
        "gender_equality_hours": 0,
        "completion": {"min_attendance": 80, "pass_mark": 70, "mastery": 85, "all_lessons": True},
        "modules": [
            {
                "title": {
                    "es": "Fundamentos de la ética en la función pública",
                    "en": "Foundations of ethics in public service",
                },
                "lessons": [
                    {
                        "slug": "principios-de-la-etica-publica",
                        "title": {
                            "es": "Principios de la ética pública",
                            "en": "Principles of public ethics",
                        },
                        "summary": {
                            "es": "Conozca los principios, deberes y prohibiciones que la Ley N.° 27815 impone a todo servidor público, cualquiera sea su régimen laboral o contractual.",
                            "en": "Learn the principles, duties and prohibitions that Law No. 27815 imposes on every public servant, whatever their employment or contractual regime.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>La función pública existe para servir a la ciudadanía. Las obligaciones éticas de quien la ejerce están recogidas en la <strong>Ley N.° 27815, Código de Ética de la Función Pública</strong>, y en su reglamento. El Código se aplica a todo servidor de las entidades de la Administración Pública, en cualquier nivel jerárquico, sea nombrado, contratado, designado, de confianza o electo, con independencia de su régimen laboral o de contratación.</p>"
                                    "<h3>Los ocho principios</h3>"
                                    "<ul>"
                                    "<li><strong>Respeto:</strong> adecuar la conducta a la Constitución y las leyes, garantizando el derecho de defensa y el debido procedimiento.</li>"
                                    "<li><strong>Probidad:</strong> actuar con rectitud, honradez y honestidad, procurando el interés general y desechando todo provecho o ventaja personal, obtenido por sí o por interpósita persona.</li>"
                                    "<li><strong>Eficiencia:</strong> brindar calidad en sus funciones y procurar una capacitación sólida y permanente.</li>"
                                    "<li><strong>Idoneidad:</strong> contar con la aptitud técnica, legal y moral, condición esencial para acceder a la función pública y ejercerla.</li>"
                                    "<li><strong>Veracidad:</strong> expresarse con autenticidad y contribuir al esclarecimiento de los hechos.</li>"
                                    "<li><strong>Lealtad y obediencia:</strong> actuar con fidelidad hacia su institución y cumplir las órdenes del superior competente, salvo arbitrariedad o ilegalidad manifiestas, que debe poner en conocimiento del superior jerárquico de su institución.</li>"
                                    "<li><strong>Justicia y equidad:</strong> dar a cada uno lo que le es debido y actuar con equidad ante el Estado, los administrados, superiores, subordinados y la ciudadanía.</li>"
                                    "<li><strong>Lealtad al Estado de Derecho:</strong> el funcionario de confianza debe lealtad a la Constitución y al Estado de Derecho; ocupar cargos de confianza en regímenes de facto es causal de cese automático e inmediato.</li>"
                                    "</ul>",
                                ),
                                (
                                    "paragraph",
                                    "<h3>Deberes y prohibiciones</h3>"
                                    "<p>Los principios se concretan en <strong>deberes</strong>: neutralidad, transparencia, discreción, ejercicio adecuado del cargo, uso adecuado de los bienes del Estado y responsabilidad. El Código establece, además, cinco <strong>prohibiciones</strong> expresas:</p>"
                                    "<ol>"
                                    "<li>Mantener intereses en conflicto con sus deberes y funciones.</li>"
                                    "<li>Obtener o procurar ventajas indebidas, para sí o para otros, mediante el uso de su cargo, autoridad, influencia o apariencia de influencia.</li>"
                                    "<li>Realizar actividades de proselitismo político a través de sus funciones o utilizando infraestructura, bienes o recursos públicos.</li>"
                                    "<li>Hacer mal uso de información privilegiada.</li>"
                                    "<li>Presionar, amenazar o acosar a otros servidores públicos o subordinados.</li>"
                                    "</ol>"
                                    "<p>Su transgresión constituye infracción al Código y se sanciona conforme al régimen disciplinario aplicable, sin perjuicio de la responsabilidad civil o penal.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "La ética va más allá de la ley penal",
                                        "body": "<p>Muchas conductas contrarias a la ética no son delitos, pero sí infracciones que erosionan la confianza ciudadana. Pregúntese no solo “¿es legal?”, sino también “¿podría explicar esta decisión, con total transparencia, ante la ciudadanía y un órgano de control?”.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "El expediente del regidor",
                                        "situation": "<p>Rosa, especialista de una municipalidad provincial, evalúa solicitudes de licencias de funcionamiento. Su jefe le pide que “priorice” el expediente de una empresa de un regidor y lo atienda antes que otros treinta presentados con anterioridad. Le dice que es “una orden” y que no quiere problemas.</p>",
                                        "questions": [
                                            "¿Qué principios del Código de Ética están en juego en esta situación?",
                                            "¿Está Rosa obligada a cumplir la orden? ¿Qué debería hacer?",
                                            "¿Qué constancia le convendría dejar?",
                                        ],
                                        "discussion": "<p>Están en juego la <strong>justicia y equidad</strong>, que exige un trato igual a todos los administrados, la <strong>probidad</strong> y el <strong>respeto</strong> al debido procedimiento: los expedientes se atienden según las reglas, no según quién los presenta. La lealtad y obediencia no ampara órdenes manifiestamente arbitrarias. Rosa puede pedir que la instrucción conste por escrito, explicar que el orden de atención está regulado y, si la presión continúa, comunicarlo al superior de su jefe o a la Oficina de Integridad Institucional. La constancia escrita la protege.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Public service exists to serve the public. The ethical obligations of those who perform it are set out in <strong>Law No. 27815, the Code of Ethics of Public Service</strong> (Código de Ética de la Función Pública), and in its regulations. The Code applies to every public servant of public administration entities, at any level of the hierarchy, whether appointed, hired, designated, in a position of trust or elected, regardless of their employment or contractual regime.</p>"
                                    "<h3>The eight principles</h3>"
                                    "<ul>"
                                    "<li><strong>Respect (respeto):</strong> conducting oneself in accordance with the Constitution and the laws, guaranteeing the right of defence and due process.</li>"
                                    "<li><strong>Probity (probidad):</strong> acting with rectitude, honour and honesty, seeking the general interest and rejecting any personal benefit or advantage, whether obtained directly or through an intermediary.</li>"
                                    "<li><strong>Efficiency (eficiencia):</strong> delivering quality in one’s duties and seeking sound and continuous training.</li>"
                                    "<li><strong>Suitability (idoneidad):</strong> having technical, legal and moral aptitude, an essential condition for entering and exercising public service.</li>"
                                    "<li><strong>Truthfulness (veracidad):</strong> speaking with authenticity and helping to establish the facts.</li>"
                                    "<li><strong>Loyalty and obedience (lealtad y obediencia):</strong> acting with fidelity towards one’s institution and following the orders of the competent superior, except in cases of manifest arbitrariness or illegality, which must be brought to the attention of the institution’s hierarchical superior.</li>"
                                    "<li><strong>Justice and equity (justicia y equidad):</strong> giving each person their due and acting equitably towards the State, the people one serves, superiors, subordinates and the public.</li>"
                                    "<li><strong>Loyalty to the rule of law (lealtad al Estado de Derecho):</strong> officials in positions of trust owe loyalty to the Constitution and the rule of law; holding a position of trust under a de facto regime is grounds for automatic and immediate dismissal.</li>"
                                    "</ul>",
                                ),
                                (
                                    "paragraph",
                                    "<h3>Duties and prohibitions</h3>"
                                    "<p>The principles take concrete form as <strong>duties</strong>: neutrality, transparency, discretion, proper exercise of office, proper use of State property, and responsibility. The Code also sets out five express <strong>prohibitions</strong>:</p>"
                                    "<ol>"
                                    "<li>Maintaining interests that conflict with one’s duties and functions.</li>"
                                    "<li>Obtaining or seeking undue advantages, for oneself or for others, through the use of one’s post, authority, influence or apparent influence.</li>"
                                    "<li>Engaging in party-political campaigning through one’s functions or by using public infrastructure, property or resources.</li>"
                                    "<li>Misusing privileged information.</li>"
                                    "<li>Pressuring, threatening or harassing other public servants or subordinates.</li>"
                                    "</ol>"
                                    "<p>Breaching them is an infringement of the Code, punished under the applicable disciplinary regime, without prejudice to civil or criminal liability.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Ethics goes beyond criminal law",
                                        "body": "<p>Many unethical acts are not crimes, but they are infringements that erode public trust. Ask yourself not only “is it legal?” but also “could I explain this decision, with full transparency, to the public and an audit body?”.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The councillor’s file",
                                        "situation": "<p>Rosa, a specialist at a provincial municipality, reviews applications for business operating licences. Her manager asks her to “prioritise” the file of a company owned by a municipal councillor and deal with it ahead of thirty others submitted earlier. He tells her it is “an order” and that he does not want any trouble.</p>",
                                        "questions": [
                                            "Which principles of the Code of Ethics are at stake in this situation?",
                                            "Is Rosa bound to follow the order? What should she do?",
                                            "What record would it be wise for her to keep?",
                                        ],
                                        "discussion": "<p>At stake are the principle of <strong>justice and equity</strong>, which requires equal treatment of everyone the municipality serves, <strong>probity</strong>, and <strong>respect</strong> for due process: files are handled according to the rules, not according to who submits them. Loyalty and obedience does not cover manifestly arbitrary orders. Rosa may ask for the instruction in writing, explain that the order in which files are handled is regulated and, if the pressure continues, report it to her manager’s superior or to the Institutional Integrity Office. A written record protects her.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                    {
                        "slug": "conflictos-de-intereses",
                        "title": {
                            "es": "Conflictos de intereses y declaración jurada de intereses",
                            "en": "Conflicts of interest and the sworn declaration of interests",
                        },
                        "summary": {
                            "es": "Aprenda a identificar, declarar y gestionar los conflictos de intereses, incluida la obligación de presentar la declaración jurada de intereses ante la Contraloría.",
                            "en": "Learn to identify, declare and manage conflicts of interest, including the obligation to file the sworn declaration of interests with the Comptroller General’s Office.",
                        },
                        "minutes": 30,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Existe un <strong>conflicto de intereses</strong> cuando los intereses personales, familiares, laborales, económicos o financieros de un servidor público podrían influir indebidamente en el cumplimiento imparcial de sus deberes. Tener un interés personal no es, en sí mismo, una falta: lo indebido es ocultarlo o decidir a pesar de él. Por eso, la Ley N.° 27815 prohíbe <em>mantener</em> intereses en conflicto.</p>"
                                    "<h3>Tipos de conflicto</h3>"
                                    "<ul>"
                                    "<li><strong>Real:</strong> el interés personal ya se cruza con una decisión concreta; por ejemplo, evaluar la oferta de la empresa de su hermano.</li>"
                                    "<li><strong>Aparente:</strong> un observador razonable podría creer que existe influencia, aunque no la haya; por ejemplo, integrar un comité de selección cuando un postor es su antiguo socio.</li>"
                                    "<li><strong>Potencial:</strong> un interés que podría entrar en conflicto en el futuro; por ejemplo, tener acciones en una empresa del sector que su entidad supervisa.</li>"
                                    "</ul>",
                                ),
                                (
                                    "paragraph",
                                    "<h3>La declaración jurada de intereses</h3>"
                                    "<p>La <strong>Ley N.° 31227</strong> transfirió a la Contraloría General de la República la competencia para recibir la declaración jurada de intereses (DJI) de autoridades, funcionarios, servidores y candidatos a cargos públicos, y para ejercer su control, fiscalización y sanción. La DJI se presenta a través del sistema de declaraciones juradas de la Contraloría y es requisito para el ejercicio del cargo. En ella se consigna, entre otra información, la participación en empresas y sociedades, los cargos en directorios, los empleos, asesorías y consultorías previas, la pertenencia a gremios y organizaciones, y datos de parientes cercanos. Su contenido es público, lo que facilita la vigilancia ciudadana. La DJI no sustituye a la declaración jurada de ingresos, bienes y rentas, que es un instrumento distinto, centrado en el patrimonio.</p>"
                                    "<h3>Cómo gestionar un conflicto</h3>"
                                    "<ol>"
                                    "<li>Identifíquelo apenas lo advierta.</li>"
                                    "<li>Comuníquelo por escrito a su superior inmediato y, si corresponde, actualice su DJI.</li>"
                                    "<li>Absténgase de participar en la decisión, conforme a las causales de abstención de la Ley N.° 27444, Ley del Procedimiento Administrativo General.</li>"
                                    "<li>Deje constancia de la abstención y de quién asume el asunto.</li>"
                                    "</ol>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Nepotismo: Ley N.° 26771",
                                        "body": "<p>Además de la DJI, la <strong>Ley N.° 26771</strong> prohíbe a los funcionarios con facultad de nombramiento y contratación de personal, o con injerencia directa o indirecta en el proceso de selección, nombrar, contratar o inducir a otro a hacerlo en su entidad respecto de sus parientes hasta el cuarto grado de consanguinidad, segundo de afinidad, por razón de matrimonio, unión de hecho o convivencia.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "La empresa del cuñado",
                                        "situation": "<p>Jorge es ingeniero de la oficina de logística de un gobierno regional y ha sido designado miembro del comité de selección de una obra de saneamiento. Al revisar las ofertas, advierte que una de las empresas postoras tiene como gerente general al hermano de su esposa. Nadie en la entidad lo sabe, y Jorge está seguro de que evaluaría con objetividad.</p>",
                                        "questions": [
                                            "¿Existe un conflicto de intereses, aunque Jorge actúe con total objetividad?",
                                            "¿Qué pasos concretos debe seguir?",
                                            "¿Qué riesgos enfrenta si guarda silencio?",
                                        ],
                                        "discussion": "<p>Sí. El hermano de su esposa es su pariente en segundo grado de afinidad y tiene un interés directo en el resultado: se trata de un conflicto real, con independencia de la buena fe de Jorge. El procedimiento debe ser, y parecer, imparcial. Jorge debe comunicar la situación por escrito de inmediato, abstenerse de seguir participando y pedir que se designe a otro integrante; además, debe verificar que su DJI esté actualizada. Si calla y la empresa gana, se expone a responsabilidad administrativa y a que el procedimiento sea cuestionado; según los hechos, la fiscalía podría incluso evaluar un delito como la negociación incompatible.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>A <strong>conflict of interest</strong> exists when a public servant’s personal, family, professional, economic or financial interests could improperly influence the impartial performance of their duties. Having a personal interest is not, in itself, misconduct: what is improper is concealing it or deciding despite it. That is why Law No. 27815 prohibits <em>maintaining</em> conflicting interests.</p>"
                                    "<h3>Types of conflict</h3>"
                                    "<ul>"
                                    "<li><strong>Actual:</strong> the personal interest already meets a specific decision; for example, assessing a bid from your brother’s company.</li>"
                                    "<li><strong>Apparent:</strong> a reasonable observer could believe there is influence, even if there is none; for example, sitting on a selection committee when one bidder is your former business partner.</li>"
                                    "<li><strong>Potential:</strong> an interest that could come into conflict in the future; for example, holding shares in a company in the sector your entity supervises.</li>"
                                    "</ul>",
                                ),
                                (
                                    "paragraph",
                                    "<h3>The sworn declaration of interests</h3>"
                                    "<p><strong>Law No. 31227</strong> transferred to the Comptroller General of the Republic (Contraloría General de la República) the power to receive the sworn declaration of interests (declaración jurada de intereses, DJI) of authorities, officials, public servants and candidates for public office, and to monitor, audit and sanction it. The DJI is filed through the Comptroller’s sworn-declarations system and is a requirement for holding office. Among other information, it records holdings in companies and partnerships, seats on boards, previous employment, advisory and consultancy work, membership of trade associations and organisations, and details of close relatives. Its content is public, which facilitates citizen oversight. The DJI does not replace the sworn declaration of income, assets and revenues, which is a different instrument focused on personal wealth.</p>"
                                    "<h3>How to manage a conflict</h3>"
                                    "<ol>"
                                    "<li>Identify it as soon as you notice it.</li>"
                                    "<li>Report it in writing to your immediate superior and, where relevant, update your DJI.</li>"
                                    "<li>Refrain from taking part in the decision, in accordance with the grounds for recusal in Law No. 27444, the General Administrative Procedure Law.</li>"
                                    "<li>Keep a record of the recusal and of who takes over the matter.</li>"
                                    "</ol>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Nepotism: Law No. 26771",
                                        "body": "<p>In addition to the DJI, <strong>Law No. 26771</strong> prohibits officials who have the power to appoint and hire staff, or who have direct or indirect influence over the selection process, from appointing, hiring or inducing others to appoint or hire in their entity their relatives up to the fourth degree of consanguinity or second degree of affinity, or persons related by marriage, de facto union or cohabitation.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The brother-in-law’s company",
                                        "situation": "<p>Jorge is an engineer in the logistics office of a regional government and has been appointed to the selection committee for a water and sanitation works contract. While reviewing the bids, he notices that one of the bidding companies has his wife’s brother as its general manager. Nobody at the entity knows this, and Jorge is sure he would assess the bids objectively.</p>",
                                        "questions": [
                                            "Is there a conflict of interest, even if Jorge acts with complete objectivity?",
                                            "What concrete steps should he take?",
                                            "What risks does he face if he keeps quiet?",
                                        ],
                                        "discussion": "<p>Yes. His wife’s brother is his relative in the second degree of affinity and has a direct interest in the outcome: this is an actual conflict, regardless of Jorge’s good faith. The procedure must be, and appear to be, impartial. Jorge must report the situation in writing immediately, stop taking part and ask for another member to be appointed; he should also check that his DJI is up to date. If he keeps quiet and the company wins, he exposes himself to administrative liability and the procedure to challenge; depending on the facts, prosecutors could even consider a crime such as incompatible negotiation (negociación incompatible).</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
            {
                "title": {
                    "es": "Integridad en la práctica: dádivas y denuncias",
                    "en": "Integrity in practice: gifts and reporting",
                },
                "lessons": [
                    {
                        "slug": "regalos-dadivas-y-cohecho",
                        "title": {
                            "es": "Regalos, dádivas y cohecho",
                            "en": "Gifts, improper benefits and bribery",
                        },
                        "summary": {
                            "es": "Distinga una atención de cortesía de una dádiva indebida y conozca cómo sanciona el Código Penal el cohecho, tanto de quien recibe como de quien ofrece.",
                            "en": "Tell a courtesy apart from an improper gift and learn how the Criminal Code punishes bribery, both for the person who receives and for the person who offers.",
                        },
                        "minutes": 30,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>En el trabajo diario surgen ofrecimientos que parecen inofensivos: un almuerzo, una canasta por fin de año, un “agradecimiento” después de resolver un trámite. El problema no es solo el valor del obsequio, sino <strong>quién lo ofrece, por qué y en qué momento</strong>. Un regalo de alguien que tiene o tendrá un asunto en trámite ante usted busca, casi siempre, generar una deuda de gratitud.</p>"
                                    "<p>La Ley N.° 27815 prohíbe obtener o procurar ventajas indebidas mediante el uso del cargo, autoridad, influencia o apariencia de influencia. Muchas entidades cuentan, además, con directivas internas sobre obsequios y atenciones: consulte la de su institución.</p>"
                                    "<h3>Preguntas para decidir</h3>"
                                    "<ul>"
                                    "<li>¿Quien ofrece tiene o podría tener interés en decisiones que dependen de mí o de mi área?</li>"
                                    "<li>¿Lo aceptaría si tuviera que registrarlo públicamente?</li>"
                                    "<li>¿Me lo ofrecerían si no ocupara este cargo?</li>"
                                    "<li>¿Genera, aunque sea en apariencia, una obligación de reciprocidad?</li>"
                                    "</ul>"
                                    "<p>Si alguna respuesta le genera duda, rechace el obsequio con cortesía o, si no es posible devolverlo, entréguelo a su entidad y deje constancia.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "El cohecho en el Código Penal",
                                        "body": "<p>El Código Penal sanciona con pena privativa de libertad, inhabilitación y multa diversas modalidades de cohecho:</p>"
                                        "<ul>"
                                        "<li><strong>Cohecho pasivo propio (art. 393):</strong> el funcionario o servidor que acepta o recibe donativo, promesa o cualquier otra ventaja o beneficio para realizar u omitir un acto en violación de sus obligaciones, o a consecuencia de haber faltado a ellas. Solicitar la ventaja se sanciona con mayor pena.</li>"
                                        "<li><strong>Cohecho pasivo impropio (art. 394):</strong> aceptar o recibir una ventaja o beneficio indebido para realizar un acto propio del cargo, sin faltar a su obligación, o como consecuencia del acto ya realizado.</li>"
                                        "<li><strong>Cohecho pasivo específico (art. 395):</strong> el magistrado, árbitro, fiscal, perito, miembro de tribunal administrativo u otro análogo que acepta, recibe o solicita una ventaja a sabiendas de que busca influir en un asunto sometido a su conocimiento o competencia.</li>"
                                        "<li><strong>Cohecho activo genérico (art. 397) y específico (art. 398):</strong> sancionan a quien ofrece, da o promete la ventaja.</li>"
                                        "</ul>"
                                        "<p>El Código contempla, además, figuras específicas para los auxiliares jurisdiccionales y para el ejercicio de la función policial.</p>",
                                    },
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "El “agradecimiento” también puede ser delito",
                                        "body": "<p>Aceptar una ventaja indebida <em>después</em> de haber realizado correctamente un acto de su función puede configurar cohecho pasivo impropio. No importa que la decisión haya sido legal: lo que la ley protege es que la función pública no se pague por fuera.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "“Para la gaseosa”",
                                        "situation": "<p>Un suboficial de la Policía Nacional interviene a un conductor que circula sin revisión técnica vigente. El conductor le ofrece cincuenta soles “para la gaseosa” a cambio de que no le imponga la papeleta. El suboficial duda, y su compañero de patrullaje le comenta que “así se hace siempre” y que nadie se va a enterar.</p>",
                                        "questions": [
                                            "Si el suboficial aceptara el dinero, ¿qué delitos cometerían él y el conductor?",
                                            "¿Cambia algo si el dinero se ofrece después, como “agradecimiento”, una vez impuesta la papeleta?",
                                            "¿Qué debería hacer el suboficial frente al comentario de su compañero?",
                                        ],
                                        "discussion": "<p>Si el suboficial aceptara el dinero para omitir un acto que es su obligación, incurriría en cohecho pasivo propio, en la figura específica para la función policial; el conductor, por ofrecer el dinero, incurriría en cohecho activo. El cohecho pasivo se consuma con la aceptación o la solicitud, aunque el dinero no llegue a entregarse. Si el dinero se ofreciera después de impuesta la papeleta, aceptarlo podría configurar cohecho pasivo impropio. El suboficial debe rechazar el ofrecimiento, imponer la papeleta, registrar lo ocurrido y evaluar la denuncia por los canales institucionales. La “costumbre” no excluye la responsabilidad penal.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Everyday work brings offers that seem harmless: a lunch, a year-end hamper, a “thank-you” after a procedure has been completed. The problem is not only the value of the gift but <strong>who offers it, why and when</strong>. A gift from someone who has, or will have, a matter pending before you almost always seeks to create a debt of gratitude.</p>"
                                    "<p>Law No. 27815 prohibits obtaining or seeking undue advantages through the use of one’s post, authority, influence or apparent influence. Many entities also have internal guidelines on gifts and hospitality: check your institution’s.</p>"
                                    "<h3>Questions to help you decide</h3>"
                                    "<ul>"
                                    "<li>Does the person offering have, or could they have, an interest in decisions that depend on me or my unit?</li>"
                                    "<li>Would I accept it if I had to register it publicly?</li>"
                                    "<li>Would they offer it to me if I did not hold this post?</li>"
                                    "<li>Does it create, even in appearance, an obligation to reciprocate?</li>"
                                    "</ul>"
                                    "<p>If any answer leaves you in doubt, politely decline the gift or, if it cannot be returned, hand it over to your entity and keep a record.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Bribery in the Criminal Code",
                                        "body": "<p>The Criminal Code punishes several forms of bribery (cohecho) with imprisonment, disqualification from office and fines:</p>"
                                        "<ul>"
                                        "<li><strong>Passive bribery in breach of duty (cohecho pasivo propio, art. 393):</strong> an official or public servant who accepts or receives a donation, promise or any other advantage or benefit to perform or omit an act in breach of their obligations, or as a result of having breached them. Soliciting the advantage carries a heavier penalty.</li>"
                                        "<li><strong>Passive bribery without breach of duty (cohecho pasivo impropio, art. 394):</strong> accepting or receiving an undue advantage or benefit to perform an act that is part of one’s post, without breaching one’s obligations, or as a result of an act already performed.</li>"
                                        "<li><strong>Specific passive bribery (cohecho pasivo específico, art. 395):</strong> a judge, arbitrator, prosecutor, expert witness, member of an administrative tribunal or similar who accepts, receives or solicits an advantage knowing that it seeks to influence a matter before them.</li>"
                                        "<li><strong>General active bribery (art. 397) and specific active bribery (art. 398):</strong> punish whoever offers, gives or promises the advantage.</li>"
                                        "</ul>"
                                        "<p>The Code also contains specific offences for court clerks and for the exercise of police functions.</p>",
                                    },
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "A “thank-you” can also be a crime",
                                        "body": "<p>Accepting an undue advantage <em>after</em> having correctly performed an act of your office may constitute passive bribery without breach of duty. It does not matter that the decision was lawful: what the law protects is that public service is not paid for on the side.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "“For a soft drink”",
                                        "situation": "<p>A National Police non-commissioned officer stops a driver whose vehicle has no valid roadworthiness certificate. The driver offers him fifty soles “for a soft drink” to let him off the traffic ticket. The officer hesitates, and his patrol partner remarks that “this is how it’s always done” and that nobody will find out.</p>",
                                        "questions": [
                                            "If the officer accepted the money, what crimes would he and the driver commit?",
                                            "Does anything change if the money is offered afterwards, as a “thank-you”, once the ticket has been issued?",
                                            "What should the officer do about his partner’s remark?",
                                        ],
                                        "discussion": "<p>If the officer accepted the money to omit an act that is his duty, he would commit passive bribery in breach of duty, under the specific offence for police functions; the driver, by offering the money, would commit active bribery. Passive bribery is complete upon acceptance or solicitation, even if the money is never handed over. If the money were offered after the ticket had been issued, accepting it could constitute passive bribery without breach of duty. The officer must reject the offer, issue the ticket, record what happened and consider reporting it through institutional channels. “Custom” does not exclude criminal liability.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                    {
                        "slug": "canales-de-denuncia-y-proteccion-al-denunciante",
                        "title": {
                            "es": "Canales de denuncia y protección al denunciante",
                            "en": "Reporting channels and whistleblower protection",
                        },
                        "summary": {
                            "es": "Conozca dónde y cómo denunciar un presunto acto de corrupción y qué medidas de protección le otorga el Decreto Legislativo N.° 1327.",
                            "en": "Learn where and how to report alleged corruption and which protection measures Legislative Decree No. 1327 grants you.",
                        },
                        "minutes": 30,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Denunciar es una de las herramientas más eficaces contra la corrupción, porque quienes trabajan dentro de las entidades suelen ser los primeros en advertir las irregularidades. La Política Nacional de Integridad y Lucha contra la Corrupción reconoce la denuncia y la protección del denunciante como piezas centrales de un sistema de integridad.</p>"
                                    "<h3>¿Dónde denunciar?</h3>"
                                    "<ul>"
                                    '<li><strong>Plataforma Digital Única de Denuncias del Ciudadano</strong>, habilitada por la Presidencia del Consejo de Ministros a través de la Secretaría de Integridad Pública: permite denunciar en línea presuntos actos de corrupción en las entidades públicas, incluso de forma anónima (<a href="https://denuncias.servicios.gob.pe/">denuncias.servicios.gob.pe</a>).</li>'
                                    "<li><strong>Oficina de Integridad Institucional</strong> de su entidad, o la unidad que haga sus veces.</li>"
                                    "<li><strong>Contraloría General de la República</strong>, para hechos irregulares en el uso de los recursos y bienes del Estado, que puede evaluar y dar lugar a servicios de control.</li>"
                                    "<li><strong>Ministerio Público</strong>, a través de las fiscalías especializadas en delitos de corrupción de funcionarios, cuando los hechos pueden constituir delito.</li>"
                                    "</ul>"
                                    "<p>Una buena denuncia describe los hechos con precisión (qué, quién, cuándo, dónde y cómo), identifica a las personas involucradas si las conoce y adjunta los documentos que la sustentan o indica dónde encontrarlos.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Decreto Legislativo N.° 1327",
                                        "body": "<p>El Decreto Legislativo N.° 1327 establece medidas de protección para el denunciante de actos de corrupción y sanciona las denuncias realizadas de mala fe. Entre las medidas figuran:</p>"
                                        "<ul>"
                                        "<li><strong>Reserva de identidad:</strong> la denuncia se registra con un código cifrado en lugar del nombre del denunciante, y la reserva puede mantenerse incluso después de concluidas las investigaciones.</li>"
                                        "<li><strong>Medidas de protección laboral:</strong> por ejemplo, el traslado temporal del denunciante sin afectar sus condiciones de trabajo, o la renovación de su contrato o convenio, según el caso.</li>"
                                        "<li><strong>Protección del postor o contratista que denuncia:</strong> la denuncia no puede perjudicar su posición en el procedimiento de contratación ni en la relación contractual.</li>"
                                        "</ul>"
                                        "<p>La Oficina de Integridad Institucional, o la unidad que haga sus veces, evalúa la denuncia y dispone las medidas de protección.</p>",
                                    },
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "Denuncias de mala fe",
                                        "body": "<p>La protección no ampara a quien, a sabiendas, denuncia hechos falsos, simula pruebas o reitera ante la misma instancia una denuncia sobre hechos y personas ya denunciados. Las denuncias de mala fe pueden generar responsabilidad administrativa y penal. Denunciar de buena fe, en cambio, no exige certeza: basta con relatar con honestidad lo que sabe y aportar los elementos de que disponga.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Las facturas repetidas",
                                        "situation": "<p>Carmen, asistente administrativa de un hospital regional, detecta que un proveedor ha cobrado dos veces por la misma entrega de insumos, con facturas de distinta numeración, y que ambas conformidades las firmó el mismo jefe de área. Su contrato vence en tres meses y teme que no se lo renueven si denuncia.</p>",
                                        "questions": [
                                            "¿Qué canal le recomendaría utilizar a Carmen y por qué?",
                                            "¿Qué medidas de protección podría solicitar?",
                                            "¿Qué información debería incluir en su denuncia?",
                                        ],
                                        "discussion": "<p>Carmen puede presentar su denuncia ante la Oficina de Integridad Institucional del hospital o a través de la Plataforma Digital Única de Denuncias del Ciudadano, solicitando la reserva de su identidad; si teme que la información llegue al área involucrada, también puede acudir a la Contraloría o al Ministerio Público. Al amparo del Decreto Legislativo N.° 1327 puede pedir que su identidad se sustituya por un código cifrado y solicitar medidas de protección laboral, como la renovación de su contrato. Su denuncia debe identificar las facturas, las fechas, los montos y las conformidades, sin sustraer documentos de manera irregular: basta con señalar dónde se encuentran. No necesita probar el delito; esa es tarea de las autoridades competentes.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Reporting is one of the most effective tools against corruption, because those who work inside entities are often the first to notice irregularities. The National Policy on Integrity and the Fight against Corruption (Política Nacional de Integridad y Lucha contra la Corrupción) recognises reporting and whistleblower protection as central pieces of an integrity system.</p>"
                                    "<h3>Where to report</h3>"
                                    "<ul>"
                                    '<li><strong>Single Digital Platform for Citizen Reports</strong> (Plataforma Digital Única de Denuncias del Ciudadano), provided by the Presidency of the Council of Ministers through the Public Integrity Secretariat: it allows alleged corruption in public entities to be reported online, even anonymously (<a href="https://denuncias.servicios.gob.pe/">denuncias.servicios.gob.pe</a>).</li>'
                                    "<li>Your entity’s <strong>Institutional Integrity Office</strong> (Oficina de Integridad Institucional), or the unit acting as such.</li>"
                                    "<li>The <strong>Comptroller General of the Republic</strong>, for irregularities in the use of State resources and property, which it may assess and which may lead to audit services.</li>"
                                    "<li>The <strong>Public Prosecutor’s Office</strong> (Ministerio Público), through the prosecutors’ offices specialised in corruption offences by public officials, when the facts may constitute a crime.</li>"
                                    "</ul>"
                                    "<p>A good report describes the facts precisely (what, who, when, where and how), identifies the people involved if known, and attaches the supporting documents or states where they can be found.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Legislative Decree No. 1327",
                                        "body": "<p>Legislative Decree No. 1327 establishes protection measures for people who report acts of corruption and punishes reports made in bad faith. The measures include:</p>"
                                        "<ul>"
                                        "<li><strong>Confidentiality of identity:</strong> the report is registered under an encrypted code instead of the whistleblower’s name, and confidentiality may be kept even after the investigations have ended.</li>"
                                        "<li><strong>Employment protection measures:</strong> for example, temporarily transferring the whistleblower without affecting their working conditions, or renewing their contract or agreement, as appropriate.</li>"
                                        "<li><strong>Protection of a bidder or contractor who reports:</strong> the report may not harm their position in the procurement procedure or in the contractual relationship.</li>"
                                        "</ul>"
                                        "<p>The Institutional Integrity Office, or the unit acting as such, assesses the report and orders the protection measures.</p>",
                                    },
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "Bad-faith reports",
                                        "body": "<p>Protection does not cover anyone who knowingly reports false facts, fabricates evidence or files again, before the same body, a report on facts and people already reported. Bad-faith reports may give rise to administrative and criminal liability. Reporting in good faith, on the other hand, does not require certainty: it is enough to describe honestly what you know and provide whatever evidence you have.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The duplicate invoices",
                                        "situation": "<p>Carmen, an administrative assistant at a regional hospital, notices that a supplier has been paid twice for the same delivery of supplies, with invoices bearing different numbers, and that both acceptance certificates were signed by the same head of unit. Her contract ends in three months and she fears it will not be renewed if she reports.</p>",
                                        "questions": [
                                            "Which channel would you recommend Carmen use, and why?",
                                            "What protection measures could she request?",
                                            "What information should her report include?",
                                        ],
                                        "discussion": "<p>Carmen can file her report with the hospital’s Institutional Integrity Office or through the Single Digital Platform for Citizen Reports, asking for her identity to be kept confidential; if she fears the information will reach the unit involved, she can also go to the Comptroller’s Office or the Public Prosecutor’s Office. Under Legislative Decree No. 1327 she can ask for her identity to be replaced by an encrypted code and request employment protection measures, such as the renewal of her contract. Her report should identify the invoices, dates, amounts and acceptance certificates, without removing documents improperly: it is enough to state where they are. She does not need to prove the crime; that is the task of the competent authorities.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # CTL-201: internal control and public procurement
    # ------------------------------------------------------------------------------------------
    {
        "code": "CTL-201",
        "title": {
            "es": "Control interno y contrataciones públicas",
            "en": "Internal Control and Public Procurement",
        },
        "summary": {
            "es": "Curso para servidores de las áreas de logística, control y defensa jurídica del Estado sobre las señales de alerta de corrupción en las contrataciones públicas, los delitos de colusión y negociación incompatible, y el sistema de control interno.",
            "en": "A course for staff in procurement, audit and State legal defence units on red flags of corruption in public procurement, the crimes of collusion and incompatible negotiation, and the internal control system.",
        },
        "objectives": {
            "es": [
                "Reconocer señales de alerta de corrupción en las actuaciones preparatorias, la selección y la ejecución contractual.",
                "Distinguir los elementos de los delitos de colusión (art. 384) y negociación incompatible (art. 399) del Código Penal.",
                "Explicar los componentes del sistema de control interno previstos en la Ley N.° 28716 y el papel de la Contraloría y de los Órganos de Control Institucional.",
                "Proponer controles preventivos frente a los riesgos de su área.",
            ],
            "en": [
                "Recognise red flags of corruption in the preparatory, selection and contract execution stages.",
                "Distinguish the elements of the crimes of collusion (art. 384) and incompatible negotiation (art. 399) of the Criminal Code.",
                "Explain the components of the internal control system set out in Law No. 28716 and the role of the Comptroller General’s Office and of the Institutional Control Bodies.",
                "Propose preventive controls for the risks in your unit.",
            ],
        },
        "audience": ["funcionario", "auditor", "procurador"],
        "contact_hours": 16,
        "modality": "blended",
        "sensitisation_only": False,
        "gender_equality_hours": 0,
        "completion": {"min_attendance": 80, "pass_mark": 70, "mastery": 85, "all_lessons": False},
        "modules": [
            {
                "title": {
                    "es": "Riesgos de corrupción en las contrataciones públicas",
                    "en": "Corruption risks in public procurement",
                },
                "lessons": [
                    {
                        "slug": "senales-de-alerta-en-las-contrataciones",
                        "title": {
                            "es": "Señales de alerta en las contrataciones públicas",
                            "en": "Red flags in public procurement",
                        },
                        "summary": {
                            "es": "Identifique las señales de alerta de corrupción más frecuentes en cada fase de una contratación pública.",
                            "en": "Identify the most frequent red flags of corruption at each stage of a public procurement.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Las contrataciones concentran buena parte del gasto público y, por ello, un alto riesgo de corrupción. Durante años se rigieron por la Ley N.° 30225, Ley de Contrataciones del Estado; en 2024 se aprobó la Ley N.° 32069, Ley General de Contrataciones Públicas, que la reemplaza desde su entrada en vigencia. Verifique siempre qué norma rige cada procedimiento. Con cualquiera de ellas, las señales de alerta son similares.</p>"
                                    "<h3>Actuaciones preparatorias</h3>"
                                    "<ul>"
                                    "<li>Requerimientos o términos de referencia hechos “a la medida” de un proveedor: marcas, experiencia o certificaciones innecesarias.</li>"
                                    "<li>Fraccionamiento de la contratación para eludir el procedimiento que corresponde.</li>"
                                    "<li>Indagaciones de mercado con cotizaciones de empresas vinculadas entre sí, o un valor estimado inflado.</li>"
                                    "<li>Contrataciones directas justificadas en emergencias que no lo son.</li>"
                                    "</ul>"
                                    "<h3>Selección</h3>"
                                    "<ul>"
                                    "<li>Plazos mínimos o publicidad deficiente que reducen la competencia.</li>"
                                    "<li>Un solo postor, o postores que se turnan para ganar.</li>"
                                    "<li>Ofertas con errores idénticos o con los mismos domicilios, representantes o teléfonos.</li>"
                                    "<li>Descalificaciones por formalidades menores aplicadas solo a algunos postores.</li>"
                                    "</ul>"
                                    "<h3>Ejecución contractual</h3>"
                                    "<ul>"
                                    "<li>Adicionales, ampliaciones de plazo o modificaciones frecuentes y poco sustentadas.</li>"
                                    "<li>Conformidades otorgadas sin verificar la prestación.</li>"
                                    "<li>Subcontratación de empresas vinculadas a funcionarios.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Una señal no es una prueba",
                                        "body": "<p>Una señal de alerta indica que conviene mirar con más cuidado; por sí sola, no demuestra un acto de corrupción. Varias señales concurrentes justifican revisar el expediente, consultar el SEACE, informar al Órgano de Control Institucional y, si corresponde, denunciar.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "La obra con un solo postor",
                                        "situation": "<p>Una municipalidad distrital convoca la construcción de un mercado. Las bases exigen experiencia previa en “mercados con cubierta tensionada” y otorgan el plazo mínimo para presentar ofertas. Solo se presenta una empresa, constituida hace dos años, cuyo domicilio coincide con el de la consultora que elaboró el expediente técnico.</p>",
                                        "questions": [
                                            "¿Qué señales de alerta identifica?",
                                            "¿Qué información pública consultaría para confirmarlas o descartarlas?",
                                            "¿A quién informaría?",
                                        ],
                                        "discussion": "<p>Hay al menos tres señales: un requisito de experiencia muy específico que puede restringir la competencia, un plazo breve y un único postor aparentemente vinculado con quien elaboró el expediente técnico. Conviene revisar en el SEACE el historial de la empresa y de procedimientos similares, la información de SUNARP y de la SUNAT sobre socios y representantes, y las consultas u observaciones formuladas a las bases. Si las señales se confirman, deben comunicarse al Órgano de Control Institucional y, de haber indicios de delito, a la fiscalía.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Procurement accounts for a large share of public spending and therefore carries a high risk of corruption. For years it was governed by Law No. 30225, the State Procurement Law; in 2024 Law No. 32069, the General Public Procurement Law, was passed, and it replaces Law No. 30225 from its entry into force. Always check which law governs each procedure. Under either of them, the red flags are similar.</p>"
                                    "<h3>Preparatory stage</h3>"
                                    "<ul>"
                                    "<li>Requirements or terms of reference “tailor-made” for one supplier: unnecessary brands, experience or certifications.</li>"
                                    "<li>Splitting a purchase to avoid the procedure that should apply.</li>"
                                    "<li>Market research based on quotes from related companies, or an inflated estimated value.</li>"
                                    "<li>Direct contracting justified by emergencies that are not real emergencies.</li>"
                                    "</ul>"
                                    "<h3>Selection</h3>"
                                    "<ul>"
                                    "<li>Minimum deadlines or poor publicity that reduce competition.</li>"
                                    "<li>A single bidder, or bidders who take turns winning.</li>"
                                    "<li>Bids with identical errors or with the same addresses, representatives or telephone numbers.</li>"
                                    "<li>Disqualifications for minor formalities applied only to some bidders.</li>"
                                    "</ul>"
                                    "<h3>Contract execution</h3>"
                                    "<ul>"
                                    "<li>Frequent, poorly justified additional works, time extensions or amendments.</li>"
                                    "<li>Acceptance certificates issued without checking the goods, works or services delivered.</li>"
                                    "<li>Subcontracting of companies linked to officials.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "A red flag is not proof",
                                        "body": "<p>A red flag signals that a closer look is needed; on its own, it does not prove an act of corruption. Several converging red flags justify reviewing the file, checking SEACE (the State’s electronic procurement system), informing the Institutional Control Body and, where appropriate, filing a report.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The works contract with a single bidder",
                                        "situation": "<p>A district municipality calls for bids to build a market. The tender documents require previous experience in “markets with tensioned-membrane roofs” and allow the minimum period for submitting bids. Only one company bids: it was set up two years ago and its registered address is the same as that of the consultancy that prepared the technical file.</p>",
                                        "questions": [
                                            "Which red flags do you identify?",
                                            "What public information would you check to confirm or rule them out?",
                                            "Whom would you inform?",
                                        ],
                                        "discussion": "<p>There are at least three red flags: a very specific experience requirement that may restrict competition, a short deadline, and a single bidder apparently linked to whoever prepared the technical file. It is worth checking in SEACE the company’s history and similar procedures, the information held by SUNARP (the public registries) and SUNAT (the tax authority) on partners and representatives, and the queries or objections made to the tender documents. If the red flags are confirmed, they should be reported to the Institutional Control Body and, if there are signs of a crime, to the prosecutor’s office.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                    {
                        "slug": "colusion-y-negociacion-incompatible",
                        "title": {
                            "es": "Colusión y negociación incompatible",
                            "en": "Collusion and incompatible negotiation",
                        },
                        "summary": {
                            "es": "Distinga los elementos de dos delitos frecuentes en las contrataciones públicas y las conductas que deben evitarse.",
                            "en": "Distinguish the elements of two crimes common in public procurement and the conduct to avoid.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Dos delitos especialmente relevantes en las contrataciones públicas suelen confundirse.</p>"
                                    "<h3>Colusión (art. 384)</h3>"
                                    "<p>Comete colusión el funcionario o servidor que, interviniendo directa o indirectamente por razón de su cargo en cualquier etapa de las modalidades de adquisición o contratación pública de bienes, obras o servicios, concesiones o cualquier operación a cargo del Estado, <strong>concierta con los interesados para defraudar al Estado</strong>. El Código distingue la <strong>colusión simple</strong>, que no exige un perjuicio patrimonial, de la <strong>colusión agravada</strong>, con pena mayor, en la que se defrauda patrimonialmente al Estado. El particular que concierta con el funcionario también responde penalmente como partícipe.</p>"
                                    "<h3>Negociación incompatible (art. 399)</h3>"
                                    "<p>Comete negociación incompatible o aprovechamiento indebido del cargo el funcionario o servidor que, indebidamente, en forma directa o indirecta o por acto simulado, <strong>se interesa, en provecho propio o de un tercero</strong>, por cualquier contrato u operación en que interviene por razón de su cargo.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Diferencias clave",
                                        "body": "<p>La colusión exige concertación con los interesados y, en su forma agravada, perjuicio patrimonial; la negociación incompatible es unilateral y no exige perjuicio. La concertación rara vez consta en un documento: suele acreditarse mediante indicios concurrentes, como las señales de alerta de la lección anterior.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Dos expedientes, dos delitos",
                                        "situation": "<p>El jefe de abastecimiento de un ministerio no integra el comité de selección, pero aprueba el expediente de contratación. Sin reunirse con ningún postor, modifica los términos de referencia para incluir un requisito que solo cumple la empresa donde trabaja su hija. En otro procedimiento, se descubren mensajes en los que el presidente del comité acuerda con un postor el precio que este ofertará.</p>",
                                        "questions": [
                                            "¿Qué delito podría configurarse en cada situación?",
                                            "¿Importa que en el primer caso no haya acuerdo con la empresa?",
                                            "¿Qué controles habrían ayudado a prevenir estas conductas?",
                                        ],
                                        "discussion": "<p>La primera situación se acerca a la negociación incompatible: el funcionario interviene por razón de su cargo y se interesa indebidamente en favor de un tercero vinculado, sin acuerdo con la empresa ni perjuicio económico. La segunda muestra una concertación para defraudar al Estado, propia de la colusión, que sería agravada si se acredita un perjuicio patrimonial. La calificación final corresponde al Ministerio Público y al juez. Ayudan a prevenir estas conductas la gestión de los conflictos de intereses, la revisión independiente de los requerimientos y la trazabilidad de las comunicaciones con los postores.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Two crimes of particular relevance to public procurement are often confused.</p>"
                                    "<h3>Collusion (colusión, art. 384)</h3>"
                                    "<p>Collusion is committed by an official or public servant who, intervening directly or indirectly by reason of their post at any stage of the public acquisition or contracting of goods, works or services, concessions or any operation under the State’s responsibility, <strong>colludes with the interested parties to defraud the State</strong>. The Code distinguishes <strong>simple collusion</strong>, which does not require financial loss, from <strong>aggravated collusion</strong>, with a heavier penalty, in which the State is defrauded financially. The private party who colludes with the official is also criminally liable as a participant.</p>"
                                    "<h3>Incompatible negotiation (negociación incompatible, art. 399)</h3>"
                                    "<p>Incompatible negotiation, or improper use of office, is committed by an official or public servant who improperly, directly or indirectly or through a sham act, <strong>takes an interest, for their own benefit or that of a third party</strong>, in any contract or operation in which they intervene by reason of their post.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Key differences",
                                        "body": "<p>Collusion requires an agreement with the interested parties and, in its aggravated form, financial loss; incompatible negotiation is unilateral and requires no loss. The agreement is rarely written down: it is usually proven through converging circumstantial evidence, such as the red flags from the previous lesson.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Two files, two crimes",
                                        "situation": "<p>A ministry’s head of supply does not sit on the selection committee, but he approves the procurement file. Without meeting any bidder, he amends the terms of reference to add a requirement that only the company where his daughter works can meet. In another procedure, messages are discovered in which the committee chair agrees with a bidder on the price it will bid.</p>",
                                        "questions": [
                                            "Which crime could be committed in each situation?",
                                            "Does it matter that in the first case there is no agreement with the company?",
                                            "Which controls would have helped prevent this conduct?",
                                        ],
                                        "discussion": "<p>The first situation resembles incompatible negotiation: the official intervenes by reason of his post and takes an improper interest in favour of a related third party, without any agreement with the company or financial loss. The second shows an agreement to defraud the State, typical of collusion, which would be aggravated if financial loss is proven. The final legal classification is for the Public Prosecutor’s Office and the judge. Managing conflicts of interest, independent review of requirements and traceable communications with bidders all help prevent such conduct.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
            {
                "title": {"es": "Control interno", "en": "Internal control"},
                "lessons": [
                    {
                        "slug": "sistema-de-control-interno",
                        "title": {
                            "es": "El sistema de control interno",
                            "en": "The internal control system",
                        },
                        "summary": {
                            "es": "Comprenda qué es el control interno, cuáles son sus componentes según la Ley N.° 28716 y cómo se relaciona con el control gubernamental que ejerce la Contraloría.",
                            "en": "Understand what internal control is, what its components are under Law No. 28716, and how it relates to the government audit carried out by the Comptroller General’s Office.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>El <strong>sistema de control interno</strong> es el conjunto de acciones, actividades, planes, políticas, normas, registros, procedimientos y métodos, incluida la actitud de las autoridades y del personal, que cada entidad organiza para proteger sus recursos, prevenir irregularidades y cumplir sus objetivos. No es tarea exclusiva del auditor: es responsabilidad del titular, de los funcionarios y de todos los servidores. La <strong>Ley N.° 28716, Ley de Control Interno de las Entidades del Estado</strong>, regula su implementación.</p>"
                                    "<h3>Componentes</h3>"
                                    "<p>La ley identifica siete componentes: ambiente de control; evaluación de riesgos; actividades de control gerencial; actividades de prevención y monitoreo; sistemas de información y comunicación; seguimiento de resultados; y compromisos de mejoramiento.</p>"
                                    "<h3>Control interno y control gubernamental</h3>"
                                    "<p>La Contraloría General de la República es el órgano superior del Sistema Nacional de Control, regulado por la Ley N.° 27785. A través de los Órganos de Control Institucional (OCI) y de sus propias unidades, realiza servicios de control previo, simultáneo (como el control concurrente) y posterior (como las auditorías de cumplimiento). La Contraloría también dicta las normas para implementar el control interno.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "El informe de control no sustituye la gestión",
                                        "body": "<p>Cuando un OCI comunica un riesgo o una situación adversa, la entidad debe adoptar acciones preventivas o correctivas y registrar su implementación. Ignorar esas alertas no elimina el riesgo.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "El almacén sin inventario",
                                        "situation": "<p>En una unidad ejecutora de salud, el almacén de medicamentos no realiza inventarios desde hace dos años. Las salidas se registran en hojas de cálculo que cualquier trabajador puede modificar, y una misma persona solicita, recibe y da conformidad a las compras. El OCI ha advertido esta situación en un informe de control simultáneo.</p>",
                                        "questions": [
                                            "¿Qué componentes del control interno presentan deficiencias?",
                                            "¿Qué controles concretos propondría?",
                                            "¿Quién es responsable de implementarlos?",
                                        ],
                                        "discussion": "<p>Hay deficiencias en el ambiente de control y en las actividades de control gerencial, pues no existe segregación de funciones; en los sistemas de información, con registros sin trazabilidad; y en las actividades de prevención y monitoreo, ya que no se toman inventarios. Son medidas razonables separar las funciones de solicitud, recepción y conformidad, usar un sistema con usuarios y registro de cambios, y programar inventarios periódicos y sorpresivos. La responsabilidad de implementarlas recae en el titular y en los funcionarios a cargo de la gestión, no en el OCI, cuyo papel es advertir los riesgos y hacer seguimiento.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>The <strong>internal control system</strong> is the set of actions, activities, plans, policies, rules, records, procedures and methods, including the attitude of authorities and staff, that each entity organises to protect its resources, prevent irregularities and achieve its objectives. It is not the auditor’s job alone: it is the responsibility of the head of the entity, of its officials and of every public servant. <strong>Law No. 28716, the Internal Control Law for State Entities</strong>, governs its implementation.</p>"
                                    "<h3>Components</h3>"
                                    "<p>The law identifies seven components: control environment; risk assessment; management control activities; prevention and monitoring activities; information and communication systems; follow-up of results; and improvement commitments.</p>"
                                    "<h3>Internal control and government audit</h3>"
                                    "<p>The Comptroller General of the Republic is the highest body of the National Control System, governed by Law No. 27785. Through the Institutional Control Bodies (Órganos de Control Institucional, OCI) and its own units, it carries out prior, simultaneous (such as “control concurrente”) and subsequent (such as compliance audits) control services. The Comptroller’s Office also issues the rules for implementing internal control.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "An audit report does not replace management",
                                        "body": "<p>When an OCI reports a risk or an adverse situation, the entity must take preventive or corrective action and record its implementation. Ignoring those alerts does not remove the risk.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The warehouse without an inventory",
                                        "situation": "<p>In a health-sector budget unit, the medicines warehouse has not taken an inventory for two years. Stock issues are recorded in spreadsheets that any employee can edit, and the same person requests, receives and signs off purchases. The OCI has flagged this situation in a simultaneous control report.</p>",
                                        "questions": [
                                            "Which components of internal control are deficient?",
                                            "Which concrete controls would you propose?",
                                            "Who is responsible for implementing them?",
                                        ],
                                        "discussion": "<p>There are deficiencies in the control environment and in management control activities, since there is no segregation of duties; in information systems, with records that cannot be traced; and in prevention and monitoring activities, since no inventories are taken. Reasonable measures are separating the functions of requesting, receiving and signing off, using a system with individual users and a change log, and scheduling periodic and surprise inventories. Responsibility for implementing them lies with the head of the entity and the officials in charge of management, not with the OCI, whose role is to warn of risks and follow up.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # PER-110: investigative journalism and access to information
    # ------------------------------------------------------------------------------------------
    {
        "code": "PER-110",
        "title": {
            "es": "Periodismo de investigación y acceso a la información pública",
            "en": "Investigative Journalism and Access to Public Information",
        },
        "summary": {
            "es": "Curso práctico para periodistas y organizaciones de la sociedad civil sobre cómo solicitar información pública al amparo de la Ley N.° 27806, verificar y documentar hallazgos, y proteger a sus fuentes y su propia seguridad.",
            "en": "A practical course for journalists and civil-society organisations on requesting public information under Law No. 27806, verifying and documenting findings, and protecting their sources and their own safety.",
        },
        "objectives": {
            "es": [
                "Redactar solicitudes de acceso a la información pública eficaces y ejercer los recursos disponibles frente a una denegatoria.",
                "Aplicar técnicas de verificación y documentación con fuentes y registros públicos peruanos.",
                "Adoptar medidas básicas de seguridad digital y física, y de protección de fuentes.",
            ],
            "en": [
                "Draft effective requests for access to public information and use the available remedies when a request is refused.",
                "Apply verification and documentation techniques using Peruvian public sources and registries.",
                "Adopt basic digital and physical security measures and protect sources.",
            ],
        },
        "audience": ["periodista", "sociedad-civil"],
        "contact_hours": 8,
        "modality": "online",
        "sensitisation_only": False,
        "gender_equality_hours": 0,
        "completion": {"min_attendance": 80, "pass_mark": 70, "mastery": 85, "all_lessons": True},
        "modules": [
            {
                "title": {
                    "es": "Acceso a la información pública",
                    "en": "Access to public information",
                },
                "lessons": [
                    {
                        "slug": "solicitudes-de-acceso-a-la-informacion",
                        "title": {
                            "es": "Solicitudes de acceso a la información pública",
                            "en": "Requests for access to public information",
                        },
                        "summary": {
                            "es": "Aprenda a redactar una solicitud de acceso a la información pública conforme a la Ley N.° 27806 y a hacerle seguimiento.",
                            "en": "Learn to draft a request for access to public information under Law No. 27806 and to follow it up.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>La Constitución reconoce a toda persona el derecho a solicitar, <strong>sin expresión de causa</strong>, información a cualquier entidad pública y a recibirla en el plazo legal, con el costo que suponga el pedido. La <strong>Ley N.° 27806, Ley de Transparencia y Acceso a la Información Pública</strong>, cuyo Texto Único Ordenado fue aprobado por el Decreto Supremo N.° 021-2019-JUS, desarrolla este derecho.</p>"
                                    "<h3>Cómo redactar una buena solicitud</h3>"
                                    "<ul>"
                                    "<li>Indique su nombre, documento de identidad y correo electrónico, por el que puede recibir la información sin costo.</li>"
                                    "<li>Diríjala al funcionario responsable de entregar la información, por mesa de partes presencial o virtual.</li>"
                                    "<li>Pida documentos concretos y existentes, no opiniones ni análisis nuevos; por ejemplo, “las órdenes de servicio emitidas a la empresa X en 2024”.</li>"
                                    "<li>Guarde el cargo de recepción.</li>"
                                    "</ul>"
                                    "<h3>Plazos y recursos</h3>"
                                    "<p>La entidad debe responder en un plazo no mayor de <strong>diez días hábiles</strong>. Solo si le es materialmente imposible puede fijar otra fecha, de forma fundamentada, comunicándola dentro de los dos días hábiles siguientes. Sin respuesta oportuna, puede considerar denegado su pedido y apelar; la apelación la resuelve el <strong>Tribunal de Transparencia y Acceso a la Información Pública</strong>. Existe además la vía judicial del hábeas data.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Las excepciones son limitadas",
                                        "body": "<p>Toda información en poder de las entidades se presume pública. La ley solo permite negar la información <strong>secreta</strong> (ciertas materias de inteligencia o defensa), <strong>reservada</strong> (ciertas materias de orden interno o relaciones exteriores) o <strong>confidencial</strong> (datos personales que afecten la intimidad, o el secreto bancario, tributario o comercial). Las excepciones se interpretan restrictivamente, la denegatoria debe fundamentarse y, si solo una parte de un documento está exceptuada, se entrega el resto.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "La municipalidad que no responde",
                                        "situation": "<p>Una periodista de Pucallpa pide a la municipalidad provincial los contratos de alquiler de maquinaria pesada del último año. Tras doce días hábiles sin respuesta, recibe una carta que deniega el pedido porque “la información contiene datos de terceros”.</p>",
                                        "questions": [
                                            "¿Qué opciones tiene la periodista?",
                                            "¿Es válida la justificación de la municipalidad?",
                                        ],
                                        "discussion": "<p>Vencido el plazo, podía considerar denegado el pedido y apelar; también puede apelar la denegatoria expresa. La mención genérica a “datos de terceros” no basta: un contrato pagado con fondos públicos es, en principio, información pública; si contiene un dato confidencial, como el domicilio de una persona natural, la entidad debe tacharlo y entregar el resto. La periodista también puede consultar el SEACE.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>The Constitution recognises everyone’s right to request information, <strong>without stating a reason</strong>, from any public entity and to receive it within the legal time limit, at the cost of the request. <strong>Law No. 27806, the Transparency and Access to Public Information Law</strong>, whose consolidated text (Texto Único Ordenado) was approved by Supreme Decree No. 021-2019-JUS, gives effect to this right.</p>"
                                    "<h3>How to draft a good request</h3>"
                                    "<ul>"
                                    "<li>Give your name, identity document and email address, through which you can receive the information free of charge.</li>"
                                    "<li>Address it to the official responsible for providing information, through the in-person or online filing office (mesa de partes).</li>"
                                    "<li>Ask for specific, existing documents, not for opinions or new analysis; for example, “the service orders issued to company X in 2024”.</li>"
                                    "<li>Keep the dated receipt.</li>"
                                    "</ul>"
                                    "<h3>Deadlines and remedies</h3>"
                                    "<p>The entity must respond within no more than <strong>ten working days</strong>. Only if that is materially impossible may it set another date, with reasons, notifying you within the following two working days. If it does not respond in time, you may treat your request as refused and appeal; appeals are decided by the <strong>Transparency and Access to Public Information Tribunal</strong>. There is also the judicial route of a habeas data action.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Exceptions are limited",
                                        "body": "<p>All information held by public entities is presumed public. The law only allows information to be withheld if it is <strong>secret</strong> (certain intelligence or defence matters), <strong>reserved</strong> (certain internal security or foreign relations matters) or <strong>confidential</strong> (personal data affecting privacy, or banking, tax or commercial secrecy). Exceptions are interpreted restrictively, a refusal must state its reasons and, if only part of a document is exempt, the rest is disclosed.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The municipality that does not answer",
                                        "situation": "<p>A journalist in Pucallpa asks the provincial municipality for last year’s heavy-machinery rental contracts. After twelve working days without an answer, she receives a letter refusing the request because “the information contains third-party data”.</p>",
                                        "questions": [
                                            "What options does the journalist have?",
                                            "Is the municipality’s justification valid?",
                                        ],
                                        "discussion": "<p>Once the deadline passed, she could treat the request as refused and appeal; she can also appeal the express refusal. A generic reference to “third-party data” is not enough: a contract paid for with public funds is, in principle, public information; if it contains confidential data, such as a private individual’s home address, the entity must redact it and disclose the rest. The journalist can also check SEACE.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
            {
                "title": {
                    "es": "Investigar con rigor y seguridad",
                    "en": "Investigating rigorously and safely",
                },
                "lessons": [
                    {
                        "slug": "verificar-y-documentar",
                        "title": {
                            "es": "Verificar y documentar",
                            "en": "Verifying and documenting",
                        },
                        "summary": {
                            "es": "Construya una investigación sólida contrastando fuentes, consultando registros públicos y documentando cada hallazgo.",
                            "en": "Build a solid investigation by cross-checking sources, consulting public registries and documenting every finding.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>En una investigación sobre corrupción, un error de hecho puede destruir la credibilidad del trabajo, exponer al medio a acciones legales y dañar a personas inocentes. Verificar no es un paso final: es un método que acompaña todo el proceso.</p>"
                                    "<h3>Registros públicos útiles</h3>"
                                    "<ul>"
                                    "<li><strong>SEACE:</strong> convocatorias, bases, ofertas, adjudicaciones y contratos del Estado.</li>"
                                    "<li><strong>Consulta Amigable del MEF:</strong> presupuesto y ejecución del gasto por entidad.</li>"
                                    "<li><strong>Infobras, de la Contraloría:</strong> avance y situación de las obras públicas.</li>"
                                    "<li><strong>SUNARP y consulta RUC de la SUNAT:</strong> socios, representantes y domicilios de las empresas.</li>"
                                    "<li><strong>Declaraciones juradas de intereses</strong> publicadas por la Contraloría y registros de visitas de las entidades.</li>"
                                    "<li><strong>Infogob, del Jurado Nacional de Elecciones:</strong> trayectoria de autoridades y candidatos.</li>"
                                    "</ul>"
                                    "<h3>Principios de verificación</h3>"
                                    "<ol>"
                                    "<li>Confirme cada dato clave con al menos dos fuentes independientes o con un documento oficial.</li>"
                                    "<li>Distinga lo que está probado, lo que es un indicio y lo que es una hipótesis.</li>"
                                    "<li>Documente cada hallazgo: fecha de consulta, enlace, captura de pantalla y copia archivada.</li>"
                                    "<li>Antes de publicar, busque la versión de las personas y entidades mencionadas e inclúyala en la nota.</li>"
                                    "</ol>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Precisión y presunción de inocencia",
                                        "body": "<p>Un funcionario investigado no es un funcionario condenado. Use un lenguaje preciso, como “presunto” o “según la disposición fiscal”, y ofrezca siempre a los aludidos la oportunidad de responder. La Constitución garantiza el derecho de rectificación; la mejor defensa de un medio es un expediente de verificación completo.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "La consultora omnipresente",
                                        "situation": "<p>Un colectivo ciudadano de Cajamarca advierte que una misma persona aparece como consultora en los expedientes técnicos de cinco obras distritales, ganadas por cinco consorcios distintos. Una fuente anónima asegura que esa persona es pareja del alcalde.</p>",
                                        "questions": [
                                            "¿Qué registros consultaría para verificar los vínculos?",
                                            "¿Qué puede publicar con lo que tiene hoy y qué no?",
                                            "¿Cómo trataría la afirmación de la fuente anónima?",
                                        ],
                                        "discussion": "<p>El SEACE permite revisar los expedientes y la conformación de los consorcios; SUNARP y la consulta RUC permiten identificar socios, representantes y domicilios comunes; y la declaración jurada de intereses del alcalde puede aportar información sobre sus vínculos. Hoy solo puede afirmar lo que consta en documentos: la participación de la misma consultora en cinco expedientes. La relación con el alcalde es, por ahora, la afirmación no verificada de una sola fuente: debe buscar corroboración independiente y pedir la versión del alcalde y de la consultora antes de publicarla.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>In a corruption investigation, a factual error can destroy the credibility of the work, expose the outlet to legal action and harm innocent people. Verification is not a final step: it is a method that runs through the whole process.</p>"
                                    "<h3>Useful public registries</h3>"
                                    "<ul>"
                                    "<li><strong>SEACE:</strong> the State’s calls for bids, tender documents, bids, awards and contracts.</li>"
                                    "<li><strong>MEF’s Consulta Amigable:</strong> budget and spending by entity.</li>"
                                    "<li><strong>Infobras, run by the Comptroller’s Office:</strong> progress and status of public works.</li>"
                                    "<li><strong>SUNARP and SUNAT’s RUC lookup:</strong> partners, representatives and addresses of companies.</li>"
                                    "<li><strong>Sworn declarations of interests</strong> published by the Comptroller’s Office and entities’ visitor logs.</li>"
                                    "<li><strong>Infogob, run by the National Elections Board (JNE):</strong> track records of authorities and candidates.</li>"
                                    "</ul>"
                                    "<h3>Verification principles</h3>"
                                    "<ol>"
                                    "<li>Confirm every key fact with at least two independent sources or an official document.</li>"
                                    "<li>Distinguish what is proven, what is circumstantial and what is a hypothesis.</li>"
                                    "<li>Document every finding: date consulted, link, screenshot and archived copy.</li>"
                                    "<li>Before publishing, seek the response of the people and entities mentioned and include it in the story.</li>"
                                    "</ol>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Accuracy and the presumption of innocence",
                                        "body": "<p>An official under investigation is not a convicted official. Use precise language, such as “alleged” or “according to the prosecutor’s decision”, and always give those named the opportunity to respond. The Constitution guarantees the right of correction; an outlet’s best defence is a complete verification file.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The ubiquitous consultant",
                                        "situation": "<p>A citizens’ group in Cajamarca notices that the same person appears as consultant in the technical files of five district works projects, won by five different consortia. An anonymous source claims that this person is the mayor’s partner.</p>",
                                        "questions": [
                                            "Which registries would you check to verify the links?",
                                            "What can you publish with what you have today, and what not?",
                                            "How would you handle the anonymous source’s claim?",
                                        ],
                                        "discussion": "<p>SEACE makes it possible to review the files and the make-up of the consortia; SUNARP and the RUC lookup help identify shared partners, representatives and addresses; and the mayor’s sworn declaration of interests may shed light on his ties. Today you can only state what is documented: the same consultant’s involvement in five files. The relationship with the mayor is, for now, the unverified claim of a single source: you must seek independent corroboration and ask the mayor and the consultant for their response before publishing it.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                    {
                        "slug": "seguridad-y-proteccion-de-fuentes",
                        "title": {
                            "es": "Seguridad y protección de fuentes",
                            "en": "Security and source protection",
                        },
                        "summary": {
                            "es": "Adopte medidas prácticas para proteger a sus fuentes, su información y su integridad personal al investigar casos de corrupción.",
                            "en": "Take practical steps to protect your sources, your information and your personal safety when investigating corruption.",
                        },
                        "minutes": 25,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Investigar la corrupción puede exponer a periodistas, defensores y fuentes a amenazas, acoso judicial, vigilancia y violencia, en particular donde operan economías ilícitas. Planifique la seguridad antes de empezar.</p>"
                                    "<h3>Protección de fuentes</h3>"
                                    "<ul>"
                                    "<li>La Constitución reconoce el derecho a guardar el <strong>secreto profesional</strong>: usted no está obligado a revelar la identidad de sus fuentes.</li>"
                                    "<li>Acuerde explícitamente con cada fuente las condiciones: atribución, reserva de identidad o solo contexto.</li>"
                                    "<li>Evite que los documentos delaten a la fuente por sus metadatos, marcas de agua o errores únicos.</li>"
                                    "<li>Si la fuente trabaja en la entidad y denuncia, puede acogerse a la protección del Decreto Legislativo N.° 1327.</li>"
                                    "</ul>"
                                    "<h3>Seguridad digital y física</h3>"
                                    "<ul>"
                                    "<li>Use mensajería cifrada de extremo a extremo con mensajes temporales y active la verificación en dos pasos.</li>"
                                    "<li>Cifre su computadora y su teléfono, y guarde respaldos cifrados fuera de la redacción.</li>"
                                    ""
                                    "<li>Comparta su agenda de viajes y entrevistas con su editor o una persona de confianza, y acuerde un protocolo de contacto periódico.</li>"
                                    "<li>Registre las amenazas, repórtelas a su medio y a los gremios de prensa, y evalúe denunciarlas ante la policía o la fiscalía.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "Los documentos también hablan",
                                        "body": "<p>Un PDF o una fotografía puede revelar quién lo creó, la fecha, el modelo del teléfono e incluso la ubicación. Antes de publicar un documento filtrado, elimine los metadatos o transcriba su contenido en lugar de reproducir el original.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "La fuente en la oficina de logística",
                                        "situation": "<p>Un servidor de la oficina de logística de un gobierno regional le envía por WhatsApp fotografías de documentos internos que muestran pagos por una obra no ejecutada. Solo cuatro personas acceden a esos documentos. Le pide publicar pronto, pero teme ser identificado.</p>",
                                        "questions": [
                                            "¿Qué riesgos corre la fuente y cómo podrían reducirse?",
                                            "¿Cómo verificaría los documentos sin exponerla?",
                                            "¿Qué le diría sobre las vías formales de denuncia?",
                                        ],
                                        "discussion": "<p>Con solo cuatro personas con acceso, publicar las imágenes originales podría delatar a la fuente. Conviene pasar a un canal cifrado con mensajes temporales, no reproducir las fotografías y verificar los pagos por vías independientes, como la Consulta Amigable del MEF, Infobras o una solicitud de acceso a la información amplia, que no revele qué documento se busca. La fuente puede denunciar con reserva de identidad y pedir medidas de protección conforme al Decreto Legislativo N.° 1327. Publicar, y cuándo, exige ponderar la seguridad de la fuente junto con el interés público.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Investigating corruption can expose journalists, human rights defenders and sources to threats, judicial harassment, surveillance and violence, particularly where illicit economies operate. Plan your security before you start.</p>"
                                    "<h3>Protecting sources</h3>"
                                    "<ul>"
                                    "<li>The Constitution recognises the right to <strong>professional secrecy</strong>: you are not obliged to reveal the identity of your sources.</li>"
                                    "<li>Agree the terms explicitly with each source: attribution, anonymity or background only.</li>"
                                    "<li>Make sure documents do not give the source away through metadata, watermarks or unique errors.</li>"
                                    "<li>If the source works at the entity and files a report, they can benefit from the protection of Legislative Decree No. 1327.</li>"
                                    "</ul>"
                                    "<h3>Digital and physical security</h3>"
                                    "<ul>"
                                    "<li>Use end-to-end encrypted messaging with disappearing messages and turn on two-step verification.</li>"
                                    "<li>Encrypt your computer and phone, and keep encrypted backups outside the newsroom.</li>"
                                    ""
                                    "<li>Tell your editor or a trusted person your travel and interview schedule, and agree a regular check-in protocol.</li>"
                                    "<li>Keep a record of threats, report them to your outlet and to press associations, and consider reporting them to the police or the prosecutor’s office.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "warning",
                                        "title": "Documents talk too",
                                        "body": "<p>A PDF or a photograph may reveal who created it, the date, the phone model and even the location. Before publishing a leaked document, remove the metadata or transcribe its content instead of reproducing the original.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The source in the logistics office",
                                        "situation": "<p>A civil servant in a regional government’s logistics office sends you, via WhatsApp, photographs of internal documents showing payments for works that were never carried out. Only four people have access to those documents. He asks you to publish soon, but he fears being identified.</p>",
                                        "questions": [
                                            "What risks does the source face and how could they be reduced?",
                                            "How would you verify the documents without exposing him?",
                                            "What would you tell him about formal reporting channels?",
                                        ],
                                        "discussion": "<p>With only four people having access, publishing the original images could give the source away. It is advisable to move to an encrypted channel with disappearing messages, not to reproduce the photographs, and to verify the payments independently, through the MEF’s Consulta Amigable, Infobras or a broadly worded access-to-information request that does not reveal which document you are after. The source can report confidentially and request protection measures under Legislative Decree No. 1327. Whether and when to publish requires weighing the source’s safety together with the public interest.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # GEN-120: gender equality and integrity (counts as gender-equality training)
    # ------------------------------------------------------------------------------------------
    {
        "code": "GEN-120",
        "title": {
            "es": "Igualdad de género e integridad",
            "en": "Gender Equality and Integrity",
        },
        "summary": {
            "es": "Curso sobre los impactos diferenciados de la corrupción según el género, la sextorsión como forma de corrupción y la incorporación del enfoque de género en los canales de denuncia.",
            "en": "A course on the gender-differentiated impacts of corruption, sextortion as a form of corruption, and building a gender approach into reporting channels.",
        },
        "objectives": {
            "es": [
                "Explicar cómo la corrupción afecta de manera diferenciada a mujeres y hombres, con especial atención a las mujeres en situación de vulnerabilidad.",
                "Reconocer la sextorsión como una forma de corrupción y conocer las vías legales para enfrentarla.",
                "Aplicar criterios de enfoque de género en el diseño y la atención de los canales de denuncia.",
            ],
            "en": [
                "Explain how corruption affects women and men differently, with particular attention to women in vulnerable situations.",
                "Recognise sextortion as a form of corruption and know the legal avenues for addressing it.",
                "Apply gender-approach criteria to the design and operation of reporting channels.",
            ],
        },
        "audience": [
            "juez",
            "fiscal",
            "policia",
            "funcionario",
            "auditor",
            "procurador",
            "abogado",
            "periodista",
            "sociedad-civil",
            "docente",
            "estudiante",
            "otro",
        ],
        "contact_hours": 4,
        "modality": "online",
        "sensitisation_only": False,
        "gender_equality_hours": 4,
        "completion": {"min_attendance": 80, "pass_mark": 70, "mastery": 85, "all_lessons": True},
        "modules": [
            {
                "title": {
                    "es": "Género, corrupción y denuncia",
                    "en": "Gender, corruption and reporting",
                },
                "lessons": [
                    {
                        "slug": "corrupcion-e-impactos-diferenciados-por-genero",
                        "title": {
                            "es": "Corrupción e impactos diferenciados por género",
                            "en": "Corruption and its gender-differentiated impacts",
                        },
                        "summary": {
                            "es": "Analice por qué la corrupción no afecta a todas las personas por igual y qué es la sextorsión.",
                            "en": "Examine why corruption does not affect everyone equally and what sextortion is.",
                        },
                        "minutes": 20,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>La corrupción no afecta a todas las personas por igual. Las mujeres, en especial las que viven en pobreza o en zonas rurales, dependen más de servicios públicos como la salud, la educación, los programas sociales y el registro civil, y asumen buena parte de las tareas de cuidado. Cuando esos servicios se condicionan a un pago indebido, el costo recae desproporcionadamente sobre ellas y sus familias.</p>"
                                    "<h3>La sextorsión</h3>"
                                    "<p>La <strong>sextorsión</strong> es una forma de corrupción en la que quien ejerce poder exige un acto de naturaleza sexual, en lugar de dinero, a cambio de un beneficio o de evitar un perjuicio: una plaza, una nota, un trámite o una decisión. Afecta sobre todo a mujeres, aunque no exclusivamente. Suele permanecer oculta porque las víctimas temen el estigma, las represalias o no ser creídas, y porque a menudo no se la reconoce como corrupción.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Marco legal aplicable",
                                        "body": "<p>Según los hechos, la sextorsión puede constituir delitos contra la libertad sexual, como el acoso sexual o el chantaje sexual, incorporados al Código Penal en 2018, o delitos de corrupción como el cohecho, que alude a “cualquier otra ventaja o beneficio”. La Ley N.° 27942 obliga a las entidades a prevenir y sancionar el hostigamiento sexual, y la Ley N.° 27815 prohíbe el acoso sexual contra otros servidores o subordinados.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Una constancia a cambio de favores sexuales",
                                        "situation": "<p>Una joven madre acude a una oficina municipal por una constancia para inscribir a su hijo en un programa social. El servidor le dice que el trámite “puede demorar meses”, pero que podría acelerarlo si ella acepta “pasar una noche” con él.</p>",
                                        "questions": [
                                            "¿Por qué esta situación, además de acoso, es corrupción?",
                                            "¿Qué barreras podrían impedir que ella denuncie?",
                                        ],
                                        "discussion": "<p>El servidor abusa de su poder sobre un trámite público para obtener un beneficio sexual: es el patrón de la sextorsión, que además limita el acceso de las mujeres a derechos y servicios. Entre las barreras para denunciar están el temor a perder el beneficio, la vergüenza, la falta de testigos y la desconfianza en que la entidad actúe.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Corruption does not affect everyone equally. Women, especially those living in poverty or in rural areas, depend more on public services such as health, education, social programmes and civil registration, and carry much of the care work. When those services are made conditional on an improper payment, the cost falls disproportionately on them and their families.</p>"
                                    "<h3>Sextortion</h3>"
                                    "<p><strong>Sextortion</strong> is a form of corruption in which someone with power demands a sexual act, instead of money, in exchange for a benefit or for avoiding a harm: a job, a grade, a procedure or a decision. It mainly affects women, though not exclusively. It often stays hidden because victims fear stigma, retaliation or not being believed, and because it is often not recognised as corruption.</p>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "law",
                                        "title": "Applicable legal framework",
                                        "body": "<p>Depending on the facts, sextortion may constitute crimes against sexual freedom, such as sexual harassment or sexual blackmail, added to the Criminal Code in 2018, or corruption offences such as bribery, which refers to “any other advantage or benefit”. Law No. 27942 requires entities to prevent and punish sexual harassment, and Law No. 27815 prohibits sexual harassment of other public servants or subordinates.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "A certificate in exchange for sexual favours",
                                        "situation": "<p>A young mother goes to a municipal office for a certificate to enrol her son in a social programme. The civil servant says that the procedure “could take months”, but that he could speed it up if she agrees to “spend a night” with him.</p>",
                                        "questions": [
                                            "Why is this situation, besides harassment, corruption?",
                                            "What barriers could prevent her from reporting it?",
                                        ],
                                        "discussion": "<p>The civil servant abuses his power over a public procedure to obtain a sexual benefit: this is the pattern of sextortion, which also limits women’s access to rights and services. Barriers to reporting include fear of losing the benefit, shame, the lack of witnesses and distrust that the entity will act.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                    {
                        "slug": "enfoque-de-genero-en-los-canales-de-denuncia",
                        "title": {
                            "es": "Enfoque de género en los canales de denuncia",
                            "en": "A gender approach in reporting channels",
                        },
                        "summary": {
                            "es": "Aprenda a diseñar y atender canales de denuncia seguros y accesibles para las mujeres y para las víctimas de sextorsión.",
                            "en": "Learn to design and run reporting channels that are safe and accessible for women and for victims of sextortion.",
                        },
                        "minutes": 20,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>Un canal de denuncia puede estar abierto a todos en teoría y, en la práctica, ser inaccesible para muchas mujeres. Las barreras más frecuentes son el temor a represalias, la revictimización al relatar los hechos, la exigencia de pruebas difíciles de obtener, los horarios y lugares de atención, y la falta de personal capacitado. El enfoque de género busca identificar y remover esas barreras.</p>"
                                    "<h3>Buenas prácticas</h3>"
                                    "<ul>"
                                    "<li>Ofrecer vías de denuncia en línea, telefónica y presencial, con la reserva de identidad que prevé el Decreto Legislativo N.° 1327.</li>"
                                    "<li>Contar con personal capacitado en atención a víctimas y, si la persona lo pide, que la atienda alguien de su mismo sexo.</li>"
                                    "<li>Recibir el relato una sola vez, en privado, sin juicios ni preguntas impertinentes sobre su vida sexual.</li>"
                                    "<li>Registrar las denuncias desagregadas por sexo, con confidencialidad, para detectar patrones.</li>"
                                    "<li>Articular con los Centros Emergencia Mujer y la Línea 100 del Ministerio de la Mujer y Poblaciones Vulnerables, y con el Ministerio Público si hay indicios de delito.</li>"
                                    "<li>Evitar el contacto entre la persona denunciante y el denunciado.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Escuchar, proteger, derivar",
                                        "body": "<p>Quien recibe una denuncia de sextorsión no debe evaluar si la víctima “provocó” la situación ni exigirle pruebas que no puede tener. Su tarea es registrar los hechos con respeto, activar la protección y derivar el caso a la autoridad competente.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Las cifras que no aparecen",
                                        "situation": "<p>La Oficina de Integridad Institucional de un hospital revisa sus estadísticas: en un año recibió sesenta denuncias, solo cinco de mujeres, aunque ellas son mayoría entre el personal y las usuarias. Ninguna se refiere a acoso o sextorsión.</p>",
                                        "questions": [
                                            "¿Qué podría explicar estos datos?",
                                            "¿Qué medidas propondría?",
                                        ],
                                        "discussion": "<p>La ausencia de denuncias no significa ausencia de casos. Los datos sugieren barreras de acceso o de confianza: quizá el canal no garantiza la reserva, el personal no está capacitado o las mujeres no saben que la sextorsión puede denunciarse. Son medidas razonables difundir el canal con mensajes explícitos sobre la sextorsión, capacitar al personal, garantizar la reserva de identidad y consultar de forma segura a trabajadoras y usuarias.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>A reporting channel may be formally open to everyone and, in practice, inaccessible to many women. The most common barriers are fear of retaliation, revictimisation when recounting the facts, demands for evidence that is hard to obtain, opening hours and locations, and a lack of trained staff. A gender approach seeks to identify and remove those barriers.</p>"
                                    "<h3>Good practices</h3>"
                                    "<ul>"
                                    "<li>Offer online, telephone and in-person reporting, with the confidentiality of identity provided for in Legislative Decree No. 1327.</li>"
                                    "<li>Have staff trained in victim support and, if the person asks, assign someone of the same sex to attend to them.</li>"
                                    "<li>Take the account only once, in private, without judgement or irrelevant questions about the person’s sex life.</li>"
                                    "<li>Record reports disaggregated by sex, confidentially, to detect patterns.</li>"
                                    "<li>Coordinate with the Women’s Emergency Centres (Centros Emergencia Mujer) and the Línea 100 helpline of the Ministry of Women and Vulnerable Populations, and with the Public Prosecutor’s Office if there are signs of a crime.</li>"
                                    "<li>Prevent contact between the person reporting and the person reported.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Listen, protect, refer",
                                        "body": "<p>Whoever receives a sextortion report must not assess whether the victim “provoked” the situation or demand evidence the victim cannot have. The task is to record the facts respectfully, activate protection and refer the case to the competent authority.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "The missing numbers",
                                        "situation": "<p>A hospital’s Institutional Integrity Office reviews its statistics: in one year it received sixty reports, only five from women, although women are the majority of staff and patients. None concerns harassment or sextortion.</p>",
                                        "questions": [
                                            "What could explain these figures?",
                                            "Which measures would you propose?",
                                        ],
                                        "discussion": "<p>The absence of reports does not mean the absence of cases. The figures suggest barriers of access or trust: perhaps the channel does not guarantee confidentiality, the staff are not trained, or women do not know that sextortion can be reported. Reasonable measures include publicising the channel with explicit messages about sextortion, training staff, guaranteeing confidentiality of identity, and safely consulting female staff and patients.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
        ],
    },
    # ------------------------------------------------------------------------------------------
    # SEN-001: one-off awareness talk (excluded from "trained")
    # ------------------------------------------------------------------------------------------
    {
        "code": "SEN-001",
        "title": {
            "es": "Charla de sensibilización: la integridad nos compete",
            "en": "Awareness Talk: Integrity Is Everyone’s Business",
        },
        "summary": {
            "es": "Charla presencial breve que invita a reflexionar sobre el costo de la corrupción y el papel de cada persona en la construcción de una cultura de integridad.",
            "en": "A short in-person talk that invites reflection on the cost of corruption and on everyone’s role in building a culture of integrity.",
        },
        "objectives": {
            "es": [
                "Reconocer el costo de la corrupción para la ciudadanía y los servicios públicos.",
                "Identificar acciones cotidianas de integridad en el propio entorno.",
                "Conocer los canales básicos de denuncia.",
            ],
            "en": [
                "Recognise the cost of corruption for citizens and public services.",
                "Identify everyday acts of integrity in one’s own environment.",
                "Know the basic reporting channels.",
            ],
        },
        "audience": [
            "juez",
            "fiscal",
            "policia",
            "funcionario",
            "auditor",
            "procurador",
            "abogado",
            "periodista",
            "sociedad-civil",
            "docente",
            "estudiante",
            "otro",
        ],
        "contact_hours": 2,
        "modality": "in_person",
        "sensitisation_only": True,
        "gender_equality_hours": 0,
        "completion": {"min_attendance": 100, "pass_mark": 0, "mastery": 0, "all_lessons": False},
        "modules": [
            {
                "title": {
                    "es": "La integridad nos compete",
                    "en": "Integrity is everyone’s business",
                },
                "lessons": [
                    {
                        "slug": "la-integridad-nos-compete",
                        "title": {
                            "es": "La integridad nos compete",
                            "en": "Integrity is everyone’s business",
                        },
                        "summary": {
                            "es": "Reflexione sobre cómo la corrupción afecta la vida cotidiana y qué puede hacer usted para prevenirla.",
                            "en": "Reflect on how corruption affects everyday life and what you can do to prevent it.",
                        },
                        "minutes": 10,
                        "body": {
                            "es": [
                                (
                                    "paragraph",
                                    "<p>La corrupción no es un problema lejano ni exclusivo de las altas autoridades. Se manifiesta en el cobro indebido por un trámite, en la obra que nunca se termina, en el medicamento que no llega a la posta. Sus costos los paga toda la ciudadanía, sobre todo quienes más dependen de los servicios públicos.</p>"
                                    "<p>La integridad, en cambio, se construye con decisiones cotidianas:</p>"
                                    "<ul>"
                                    "<li>Atender a todas las personas por igual, sin pedir ni aceptar nada a cambio.</li>"
                                    "<li>Declarar los conflictos de intereses y apartarse de la decisión.</li>"
                                    "<li>Cuidar los bienes públicos, que son de todos.</li>"
                                    "<li>No mirar a otro lado: informar y denunciar lo que no está bien.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "¿Dónde denunciar?",
                                        "body": "<p>Puede denunciar en la Plataforma Digital Única de Denuncias del Ciudadano, que admite denuncias anónimas, o ante la Oficina de Integridad Institucional de su entidad, la Contraloría o el Ministerio Público. El Decreto Legislativo N.° 1327 protege a quien denuncia de buena fe.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "Un pequeño favor",
                                        "situation": "<p>Un vecino ofrece una propina a la servidora de mesa de partes para que su expediente “no se pierda” y se atienda primero.</p>",
                                        "questions": [
                                            "¿Es un problema menor o un acto de corrupción?",
                                            "¿Qué respondería usted?",
                                        ],
                                        "discussion": "<p>Aunque el monto sea pequeño, pagar por un trato preferente es corrupción: perjudica a quienes esperan su turno y normaliza el soborno. Lo íntegro es rechazar con cortesía, explicar que el trámite es igual para todos y, si el vecino insiste, informar a la jefatura.</p>",
                                    },
                                ),
                            ],
                            "en": [
                                (
                                    "paragraph",
                                    "<p>Corruption is not a distant problem, nor one limited to senior authorities. It shows up in the improper charge for a procedure, in the public works that are never finished, in the medicine that never reaches the local health post. Its costs are paid by all citizens, and above all by those who depend most on public services.</p>"
                                    "<p>Integrity, on the other hand, is built through everyday decisions:</p>"
                                    "<ul>"
                                    "<li>Serving everyone equally, without asking for or accepting anything in return.</li>"
                                    "<li>Declaring conflicts of interest and stepping away from the decision.</li>"
                                    "<li>Looking after public property, which belongs to everyone.</li>"
                                    "<li>Not looking the other way: speaking up and reporting what is wrong.</li>"
                                    "</ul>",
                                ),
                                (
                                    "callout",
                                    {
                                        "kind": "key_point",
                                        "title": "Where to report",
                                        "body": "<p>You can file a report on the Single Digital Platform for Citizen Reports, which accepts anonymous reports, or with your entity’s Institutional Integrity Office, the Comptroller’s Office or the Public Prosecutor’s Office. Legislative Decree No. 1327 protects those who report in good faith.</p>",
                                    },
                                ),
                                (
                                    "case_study",
                                    {
                                        "title": "A small favour",
                                        "situation": "<p>A local resident offers a tip to the clerk at the filing office so that his file “doesn’t get lost” and is dealt with first.</p>",
                                        "questions": [
                                            "Is this a minor issue or an act of corruption?",
                                            "How would you respond?",
                                        ],
                                        "discussion": "<p>Even if the amount is small, paying for preferential treatment is corruption: it harms those waiting their turn and normalises bribery. Integrity means declining politely, explaining that the procedure is the same for everyone and, if the resident insists, informing the manager.</p>",
                                    },
                                ),
                            ],
                        },
                    },
                ],
            },
        ],
    },
]
