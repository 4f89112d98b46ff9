"""The monthly donor email: the PDF of the quarter to date, once per month per subscription,
in the subscription's language; one failing recipient does not stop the others.

reports.pdf (WeasyPrint) is another part of the work: these tests replace it with a tiny
stand-in PDF so they check the delivery itself (who, when, what is attached)."""

import io
import sys
import types

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.utils import translation

from reports.models import ReportSubscription
from tests.reports.conftest import indicator

pytestmark = pytest.mark.django_db

STAND_IN = b"%PDF-1.4\n% stand-in for reports.pdf\n%%EOF\n"


@pytest.fixture
def pdf(monkeypatch):
    """reports.pdf.report_pdf replaced by a stand-in that records what it rendered."""
    rendered = []

    def report_pdf(report):
        rendered.append(report)
        return STAND_IN

    monkeypatch.setitem(sys.modules, "reports.pdf", types.SimpleNamespace(report_pdf=report_pdf))
    return rendered


@pytest.fixture
def subscribers(programme):
    indicator("REACH", "reached", disaggregations=["institution"])
    mcc = ReportSubscription.objects.create(
        name="MCC", email="itt@mcc.example.org", language="en", disaggregate_by=["sex", "region"]
    )
    usaid = ReportSubscription.objects.create(
        name="USAID/Perú", email="aor@usaid.example.gov", language="es"
    )
    ReportSubscription.objects.create(
        name="Antiguo", email="old@example.org", language="es", active=False
    )
    return mcc, usaid


def send(*args) -> str:
    """The command's own output in English (each email is in its subscriber's language)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("send_donor_reports", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_each_active_subscription_gets_the_pdf_of_the_quarter_once(subscribers, pdf):
    mcc, _usaid = subscribers
    out = send("--month", "2026-02")
    assert sorted(m.to[0] for m in mail.outbox) == ["aor@usaid.example.gov", "itt@mcc.example.org"]
    for message in mail.outbox:
        ((name, content, content_type),) = message.attachments
        assert content.startswith(b"%PDF")
        assert content_type == "application/pdf"
        # February 2026 is in FY2026 Q2 (January–March).
        assert name == "reporte-FY2026-Q2-donor.pdf"
    english = next(m for m in mail.outbox if m.to == ["itt@mcc.example.org"])
    assert "Participation report FY2026 Q2" in english.subject
    assert "Dear MCC" in english.body
    assert "Tables by: Sex, Region" in english.body
    # Always the donor view, by the subscription's tables.
    assert {r["parameters"]["audience"] for r in pdf} == {"donor"}
    assert ["sex", "region"] in [r["parameters"]["by"] for r in pdf]
    assert "2 sent" in out
    mcc.refresh_from_db()
    assert mcc.last_sent_month == "2026-02"

    # The same month again (a retry, a second cron): nothing is sent twice.
    out = send("--month", "2026-02")
    assert len(mail.outbox) == 2
    assert "0 sent, 2 already sent" in out
    # The next month is sent.
    send("--month", "2026-03")
    assert len(mail.outbox) == 4


def test_dry_run_sends_and_records_nothing(subscribers, pdf):
    out = send("--month", "2026-02", "--dry-run")
    assert mail.outbox == []
    assert "itt@mcc.example.org" in out
    assert not ReportSubscription.objects.exclude(last_sent_month="").exists()


def test_a_failing_recipient_does_not_stop_the_others(subscribers, pdf, monkeypatch):
    mcc, usaid = subscribers
    real_send = EmailMessage.send

    def flaky(self, *args, **kwargs):
        if self.to == [mcc.email]:
            raise ConnectionRefusedError("SMTP down for this one")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky)
    with pytest.raises(CommandError, match=r"itt@mcc\.example\.org"):
        send("--month", "2026-02")
    assert [m.to for m in mail.outbox] == [[usaid.email]]
    mcc.refresh_from_db()
    usaid.refresh_from_db()
    assert mcc.last_sent_month == ""  # tried again next run
    assert usaid.last_sent_month == "2026-02"
    monkeypatch.setattr(EmailMessage, "send", real_send)
    send("--month", "2026-02")
    assert [m.to for m in mail.outbox] == [[usaid.email], [mcc.email]]


def test_a_bad_month_is_refused(db):
    with pytest.raises(CommandError, match="--month"):
        send("--month", "2026-13")


def test_the_real_pdf_is_attached(programme):
    # The PDF of reports.pdf itself (WeasyPrint), not the stand-in.
    indicator("REACH", "reached")
    ReportSubscription.objects.create(name="MCC", email="itt@mcc.example.org", language="en")
    send("--month", "2026-05")
    (message,) = mail.outbox
    ((name, content, _content_type),) = message.attachments
    assert name == "reporte-FY2026-Q3-donor.pdf"
    assert content.startswith(b"%PDF") and len(content) > 1000
