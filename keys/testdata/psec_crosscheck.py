#!/usr/bin/env python3
"""Regenerate psec-crosscheck.json: TDES key check values and parity
adjustment computed by psec (https://github.com/knovichikhin/psec @ 90ccbf3,
MIT), an independent implementation, for seeded random keys.

    PYTHONPATH=/path/to/psec python3 psec_crosscheck.py > psec-crosscheck.json
"""
import json
import random
import warnings

warnings.simplefilter("ignore")
import psec  # noqa: E402

rnd = random.Random(7)
rows = []
for i in range(30):
    key = bytes(rnd.getrandbits(8) for _ in range(rnd.choice([16, 24])))
    rows.append(dict(key=key.hex().upper(),
                     kcv=psec.des.generate_kcv(key, 3).hex().upper(),
                     parity_adjusted=psec.des.adjust_key_parity(key).hex().upper()))
print(json.dumps({"generator": "psec @ 90ccbf3 via keys/testdata/psec_crosscheck.py (seed 7)", "tdes": rows}, indent=1))
