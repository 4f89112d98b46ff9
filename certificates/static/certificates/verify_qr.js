/* The QR code's signed payload, checked in this browser (docs/verification.md).
 *
 * The address a QR code opens ends in #<payload>: base32 of a raw-deflated COSE_Sign1 (EdDSA)
 * over CBOR claims. This script decodes it, checks the Ed25519 signature with WebCrypto against
 * the issuer's published keys (/.well-known/jwks.json) and shows the signed claims, so they can
 * be compared with the paper and with the server's answer above. No data leaves the page: the
 * fragment is never sent to the server.
 */
(function () {
    "use strict";
    var box = document.getElementById("qr-check");
    var payload = window.location.hash.slice(1);
    if (!box || !payload) return;
    var d = box.dataset;
    var result = box.querySelector("[data-qr-result]");
    var claimsList = box.querySelector("[data-qr-claims]");
    box.hidden = false;

    function show(state, text, detail) {
        box.classList.remove("verify-qr-checking");
        box.classList.add("verify-qr-" + state);
        box.setAttribute("data-qr-state", state);
        result.textContent = text + (detail ? " " + detail : "");
    }

    function Damaged(message) { this.message = message; }

    function base32(text) {
        var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", bits = 0, value = 0, out = [];
        text = text.toUpperCase();
        for (var i = 0; i < text.length; i++) {
            var index = alphabet.indexOf(text[i]);
            if (index < 0) throw new Damaged(d.damaged);
            value = (value << 5) | index;
            bits += 5;
            if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
        }
        return new Uint8Array(out);
    }

    function inflate(bytes) {
        var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
        return new Response(stream).arrayBuffer().then(function (buffer) {
            return new Uint8Array(buffer);
        }, function () { throw new Damaged(d.damaged); });
    }

    /* A CBOR decoder for what the payload uses: integers, byte and text strings, arrays, maps,
     * tags, false/true/null and floats. Anything else, or bytes left over, is damage. */
    function decodeCbor(bytes) {
        var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), pos = 0;
        function need(n) { if (pos + n > bytes.length) throw new Damaged(d.damaged); }
        function length(info) {
            if (info < 24) return info;
            var size = { 24: 1, 25: 2, 26: 4 }[info];
            if (!size) throw new Damaged(d.damaged);
            need(size);
            var n = size === 1 ? view.getUint8(pos) : size === 2 ? view.getUint16(pos) : view.getUint32(pos);
            pos += size;
            return n;
        }
        function half(bits) {
            var exp = (bits >> 10) & 31, frac = bits & 1023, sign = bits & 32768 ? -1 : 1;
            if (exp === 0) return sign * Math.pow(2, -14) * (frac / 1024);
            if (exp === 31) return frac ? NaN : sign * Infinity;
            return sign * Math.pow(2, exp - 15) * (1 + frac / 1024);
        }
        function item(depth) {
            if (depth > 8) throw new Damaged(d.damaged);
            need(1);
            var first = view.getUint8(pos++), major = first >> 5, info = first & 31, n, i, out;
            if (major === 7) {
                if (info === 20) return false;
                if (info === 21) return true;
                if (info === 22) return null;
                if (info === 25) { need(2); pos += 2; return half(view.getUint16(pos - 2)); }
                if (info === 26) { need(4); pos += 4; return view.getFloat32(pos - 4); }
                if (info === 27) { need(8); pos += 8; return view.getFloat64(pos - 8); }
                throw new Damaged(d.damaged);
            }
            n = length(info);
            if (major === 0) return n;
            if (major === 1) return -1 - n;
            if (major === 2 || major === 3) {
                need(n);
                out = bytes.subarray(pos, pos + n);
                pos += n;
                return major === 2 ? out : new TextDecoder("utf-8", { fatal: true }).decode(out);
            }
            if (major === 4) { out = []; for (i = 0; i < n; i++) out.push(item(depth + 1)); return out; }
            if (major === 5) {
                out = new Map();
                for (i = 0; i < n; i++) { var key = item(depth + 1); out.set(key, item(depth + 1)); }
                return out;
            }
            return { tag: n, value: item(depth + 1) };  /* major 6 */
        }
        var value;
        try { value = item(0); } catch (error) {
            throw error instanceof Damaged ? error : new Damaged(d.damaged);
        }
        if (pos !== bytes.length) throw new Damaged(d.damaged);
        return value;
    }

    function bstrHead(n) {
        return n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 255];
    }

    /* Sig_structure = ["Signature1", protected, h'', payload] (RFC 9052, section 4.4). */
    function toBeSigned(protectedBytes, payloadBytes) {
        var head = [0x84, 0x6a].concat(Array.from(new TextEncoder().encode("Signature1")));
        var parts = [head, bstrHead(protectedBytes.length), Array.from(protectedBytes), [0x40],
            bstrHead(payloadBytes.length), Array.from(payloadBytes)];
        return new Uint8Array([].concat.apply([], parts));
    }

    function base64url(bytes) {
        return btoa(String.fromCharCode.apply(null, bytes))
            .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    }

    function crockford(bytes) {  /* the identifier's 128 bits as its first 26 characters */
        var alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ", n = BigInt(0), out = "";
        bytes.forEach(function (b) { n = (n << BigInt(8)) | BigInt(b); });
        for (var i = 0; i < 26; i++) { out = alphabet[Number(n & BigInt(31))] + out; n >>= BigInt(5); }
        return out;
    }

    function showClaims(claims) {
        var days = claims.get(5);
        var rows = [
            [d.labelIdentifier, d.identifierDisplay && crockford(claims.get(1)) === d.identifier.slice(0, 26)
                ? d.identifierDisplay : crockford(claims.get(1))],
            [d.labelHolder, claims.get(2)],
            [d.labelCourse, claims.get(3)],
            [d.labelHours, String(claims.get(4))],
            // In the page's language, as the paper prints it (the claim is a day, in UTC).
            [d.labelCompleted, new Date(days * 86400000).toLocaleDateString(
                document.documentElement.lang || undefined,
                { timeZone: "UTC", year: "numeric", month: "long", day: "numeric" })],
            [d.labelIssuer, "did:web:" + claims.get(6)]
        ];
        rows.forEach(function (row) {
            var div = document.createElement("div"), dt = document.createElement("dt"),
                dd = document.createElement("dd");
            dt.textContent = row[0];
            dd.textContent = row[1];
            div.appendChild(dt);
            div.appendChild(dd);
            claimsList.appendChild(div);
        });
        claimsList.hidden = false;
        // The note explains the signed details: shown only with them.
        box.querySelector("[data-qr-note]").hidden = false;
    }

    if (!window.crypto || !crypto.subtle || typeof DecompressionStream === "undefined" ||
            typeof BigInt === "undefined") {
        show("unsupported", d.unsupported);
        return;
    }
    var message, header, claims, kid;
    var jwks = fetch(d.jwks, { credentials: "omit" }).then(function (r) { return r.json(); });
    inflate(base32(payload).slice(0)).then(function (cose) {
        message = decodeCbor(cose);
        if (!message || message.tag !== 18 || !Array.isArray(message.value) ||
                message.value.length !== 4 || !(message.value[0] instanceof Uint8Array) ||
                !(message.value[1] instanceof Map) || !(message.value[2] instanceof Uint8Array) ||
                !(message.value[3] instanceof Uint8Array)) {
            throw new Damaged(d.damaged);
        }
        header = decodeCbor(message.value[0]);
        if (!(header instanceof Map) || header.get(1) !== -8 || !(header.get(4) instanceof Uint8Array)) {
            throw new Damaged(d.damaged);
        }
        kid = base64url(header.get(4));
        return jwks;
    }).then(function (set) {
        var jwk = (set.keys || []).filter(function (k) { return k.kid === kid; })[0];
        if (!jwk) throw new Damaged(d.unknownKey);
        return crypto.subtle.importKey("jwk", { kty: jwk.kty, crv: jwk.crv, x: jwk.x },
            { name: "Ed25519" }, false, ["verify"]).then(function (key) {
            return crypto.subtle.verify({ name: "Ed25519" }, key, message.value[3],
                toBeSigned(message.value[0], message.value[2]));
        }, function () { return "unsupported"; }).then(function (ok) {
            if (ok === "unsupported") { show("unsupported", d.unsupported); return; }
            if (!ok) throw new Damaged(d.badSignature);
            claims = decodeCbor(message.value[2]);
            if (!(claims instanceof Map) || !(claims.get(1) instanceof Uint8Array)) {
                throw new Damaged(d.damaged);
            }
            showClaims(claims);
            if (crockford(claims.get(1)) !== d.identifier.slice(0, 26)) {
                throw new Damaged(d.otherIdentifier);
            }
            if (jwk.exp && claims.get(5) * 86400 > jwk.exp) throw new Damaged(d.retiredKey);
            show("valid", d.valid);
        });
    }).catch(function (error) {
        show("invalid", d.invalid, error instanceof Damaged ? error.message : d.damaged);
    });
})();
