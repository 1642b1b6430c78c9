"""The office's own certificate authority (in `--tls-dir`): a server certificate for the
listen address and one client certificate per laptop. A laptop is known by the SHA-256
fingerprint of its client certificate, checked against `server_devices` on every request.

Keys are EC P-256 and written 0600; `ca-key.pem` is the office's crown jewel (whoever holds
it can enrol a laptop), so the folder belongs on the server only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from bwo_desktop.services.fileperms import write_private_atomic

CA_CERT = "ca.pem"
CA_KEY = "ca-key.pem"
CA_YEARS = 10
CLIENT_YEARS = 3
SERVER_DAYS = 400


@dataclass(frozen=True)
class Issued:
    cert_pem: bytes
    key_pem: bytes
    fingerprint: str


def fingerprint_der(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common: str, unit: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bwo-desktop kantoor")]
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def ensure_ca(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The CA of this folder, made at first use."""
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / CA_CERT, folder / CA_KEY
    if cert_path.exists() and key_path.exists():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return cert, key
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name("bwo-desktop kantoor-CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    write_private_atomic(key_path, _key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert, key


def _issue(
    folder: Path,
    subject: x509.Name,
    usage: x509.ObjectIdentifier,
    days: int,
    names: list[x509.GeneralName] | None = None,
) -> Issued:
    ca_cert, ca_key = ensure_ca(folder)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    cert = builder.sign(ca_key, hashes.SHA256())
    return Issued(
        cert.public_bytes(serialization.Encoding.PEM),
        _key_pem(key),
        fingerprint_der(cert.public_bytes(serialization.Encoding.DER)),
    )


def issue_client(folder: Path, device: str, team: str) -> Issued:
    return _issue(
        folder,
        _name(device, team),
        ExtendedKeyUsageOID.CLIENT_AUTH,
        365 * CLIENT_YEARS,
    )


def _host_names(host: str) -> list[x509.GeneralName]:
    hosts = {host, "localhost", "127.0.0.1"}
    if host in ("0.0.0.0", "::", ""):
        hosts |= {socket.gethostname(), socket.getfqdn()}
        hosts -= {"0.0.0.0", "::", ""}
    names: list[x509.GeneralName] = []
    for h in sorted(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(h)))
        except ValueError:
            names.append(x509.DNSName(h))
    return names


def issue_server(folder: Path, host: str, port: int) -> tuple[Path, Path]:
    """A fresh server certificate for the listen address (each `server run`); laptops trust
    the CA, not this certificate, so renewing it costs them nothing."""
    issued = _issue(
        folder,
        _name(host or "bwo-server"),
        ExtendedKeyUsageOID.SERVER_AUTH,
        SERVER_DAYS,
        _host_names(host),
    )
    stem = f"server-{host.replace(':', '_')}-{port}"
    cert_path, key_path = folder / f"{stem}.pem", folder / f"{stem}-key.pem"
    write_private_atomic(key_path, issued.key_pem)
    write_private_atomic(cert_path, issued.cert_pem)
    return cert_path, key_path
