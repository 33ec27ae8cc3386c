"""Phone numbers: validated and stored in one form (E.164) so a repeat caller is found."""

from functools import lru_cache

import phonenumbers


def normalise_phone(raw: str, region: str = "CN") -> str | None:
    """E.164 (`+8613800138000`) for a valid number, None otherwise. Letters are refused,
    not read as a keypad's (`139abc45678` is a typing slip, not `+8613922245678`)."""
    if any(char.isalpha() for char in raw):
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=8192)  # a pure function; parsing was a tenth of the list page's rendering
def display_phone(e164: str, region: str = "CN") -> str:
    """`138 0013 8000` for a Chinese mobile, `0755 1234 5678` for a landline."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == phonenumbers.country_code_for_region(region):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
