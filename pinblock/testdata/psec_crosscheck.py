#!/usr/bin/env python3
"""Regenerate psec-crosscheck.json with psec, an independent implementation.

Usage, from a source checkout of https://github.com/knovichikhin/psec at
commit 90ccbf3 (MIT licence), with python3-cryptography installed:

    PYTHONPATH=/path/to/psec python3 psec_crosscheck.py > psec-crosscheck.json

Inputs come from a seeded PRNG, so the file is reproducible; the expected
values are whatever psec computes. Nothing here is posflow code under test.
"""
import json
import random
import warnings

warnings.simplefilter("ignore")
import psec  # noqa: E402

rnd = random.Random(3)


def digits(n):
    return "".join(rnd.choice("0123456789") for _ in range(n))


def key(n):
    return bytes(rnd.getrandbits(8) for _ in range(n))


out = {"generator": "psec @ 90ccbf3 via pinblock/testdata/psec_crosscheck.py (seed 3)"}

rows = []
for i in range(60):
    pin, pan = digits(rnd.randint(4, 12)), digits(rnd.randint(13, 19))
    rows.append(dict(format=0, pin=pin, pan=pan, block=psec.pinblock.encode_pinblock_iso_0(pin, pan).hex().upper(), exact=True))
for i in range(30):
    pin = digits(rnd.randint(4, 12))
    rows.append(dict(format=2, pin=pin, pan="", block=psec.pinblock.encode_pinblock_iso_2(pin).hex().upper(), exact=True))
for i in range(30):
    pin, pan = digits(rnd.randint(4, 12)), digits(rnd.randint(13, 19))
    rows.append(dict(format=3, pin=pin, pan=pan, block=psec.pinblock.encode_pinblock_iso_3(pin, pan).hex().upper(), exact=False))
out["clear"] = rows

rows = []
for i in range(40):
    k = key(rnd.choice([16, 24, 32]))
    pin, pan = digits(rnd.randint(4, 12)), digits(rnd.randint(12, 19))
    rows.append(dict(key=k.hex().upper(), pin=pin, pan=pan, block=psec.pinblock.encipher_pinblock_iso_4(k, pin, pan).hex().upper()))
out["iso4"] = rows

rows = []
for i in range(40):
    pan = digits(rnd.randint(8, 19))
    rows.append(dict(pan=pan, field=psec.pinblock.encode_pan_field_iso_4(pan).hex().upper()))
out["iso4_pan_field"] = rows

rows = []
for i in range(40):
    k = key(rnd.choice([16, 24]))
    pvki, pin, pan = str(rnd.randint(0, 9)), digits(4), digits(rnd.randint(12, 19))
    rows.append(dict(pvk=k.hex().upper(), pvki=int(pvki), pin=pin, pan=pan, pvv=psec.pin.generate_visa_pvv(k, pvki, pin, pan)))
out["pvv"] = rows

rows = []
for i in range(40):
    k = key(rnd.choice([16, 24]))
    table = digits(16)
    vd = digits(16)
    n = rnd.randint(4, 12)
    natural = psec.pin.generate_ibm3624_pin(k, table, "0" * n, vd, 0, 16, "F")
    pin = digits(n)
    offset = psec.pin.generate_ibm3624_offset(k, table, pin, vd, 0, 16, "F")
    rows.append(dict(pvk=k.hex().upper(), decimalization=table, validation_data=vd, natural_pin=natural, pin=pin, offset=offset))
out["ibm3624"] = rows

print(json.dumps(out, indent=1))
