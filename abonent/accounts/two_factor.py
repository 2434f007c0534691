"""TOTP devices (django-otp): enrol, confirm, verify at sign-in, remove."""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from abonent.core.roles import ADMIN_ROLES
from abonent.core.services import audit_record


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def owed_step(user) -> str | None:
    """Return the URL name of the two-factor page a signed-in user must pass before working, or None."""
    if user.is_verified():
        return None
    if confirmed_device(user) is not None:
        return "accounts:two_factor_verify"
    if settings.ABONENT_REQUIRE_2FA and user.role in ADMIN_ROLES:
        return "accounts:two_factor_setup"
    return None


def pending_device(user) -> TOTPDevice:
    """Return the user's unconfirmed device, creating one with a fresh key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_b32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    # config_url is the otpauth:// URI, named with OTP_TOTP_ISSUER, that authenticator apps read.
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#212529")


def confirm(*, request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    if not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    audit_record(actor=request.user, action="abonent.accounts.two_factor.enabled", target=request.user)
    return True


def verify(*, request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    if not device.verify_token(code.strip()):
        return False
    otp_login(request, device)
    return True


def disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="abonent.accounts.two_factor.disabled", target=user)
