"""Key rotation for what the gateway keeps encrypted: with ENCRYPTION_KEY="new,old" (the new key
first), every encrypted column of every table is re-encrypted under the new key, so the old one
can be retired. Rasa's tracker store has its own command (`python -m bot.tracker_store rotate`).

The encrypted columns are found by name (`*_encrypted`) in the models' metadata, so a table
added later is rotated without a change here. A value no configured key opens is counted and
left as it is (it was unreadable already)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update

from sms_gateway.models import Base
from sms_gateway.services.crypto import FieldCipher

BATCH = 500


@dataclass
class Rotated:
    values: dict[str, int] = field(default_factory=dict)  # table -> values re-encrypted
    unreadable: int = 0


def rotate_keys(engine: Engine, cipher: FieldCipher) -> Rotated:
    """Re-encrypt every `*_encrypted` value under the first key, table by table, in batches."""
    done = Rotated()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if c.name.endswith("_encrypted")]
        if not columns:
            continue
        keys = list(table.primary_key.columns)
        count, last = 0, None
        while True:
            query = select(*keys, *columns).order_by(*keys).limit(BATCH)
            if last is not None:
                query = query.where(keys[0] > last)
            with engine.begin() as connection:
                rows = connection.execute(query).fetchall()
                for row in rows:
                    fresh = {}
                    for column in columns:
                        value = row._mapping[column.name]
                        if value is None:
                            continue
                        rotated = cipher.rotate(bytes(value))
                        if rotated is None:
                            done.unreadable += 1
                        else:
                            fresh[column.name] = rotated
                    if fresh:
                        key = keys[0] == row._mapping[keys[0].name]
                        connection.execute(update(table).where(key).values(**fresh))
                        count += len(fresh)
            if len(rows) < BATCH:
                break
            last = rows[-1]._mapping[keys[0].name]
        done.values[table.name] = count
    return done
