"""Clean a text column of a Ray Dataset with textmend.

    import ray, textmend.ray
    ds = ray.data.read_json("s3://bucket/articles/")
    ds = textmend.ray.clean_dataset(ds, column="text", add_edits=True)
    ds.write_json("s3://bucket/clean/")

Each actor of the pool builds one ``textmend.Cleaner`` (compiling the rules once) and cleans whole
Arrow batches with ``Cleaner.clean_batch``, which releases the GIL and runs on rayon threads.
Other columns pass through untouched; rows keep their order within each block.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Optional

from ._textmend import Cleaner

__all__ = ["clean_dataset", "CleanBatch"]


class CleanBatch:
    """The callable class run by each actor: one Cleaner per actor, one call per Arrow batch."""

    def __init__(
        self,
        column: str = "text",
        config: Optional[Dict[str, Any]] = None,
        add_edits: bool = False,
        add_metadata: bool = True,
        edits_column: str = "textmend_edits",
        metadata_column: str = "textmend_metadata",
        pid_column: Optional[str] = None,
    ) -> None:
        self.cleaner = Cleaner(config)
        self.column = column
        self.add_edits = add_edits
        self.add_metadata = add_metadata
        self.edits_column = edits_column
        self.metadata_column = metadata_column
        self.pid_column = pid_column

    def __call__(self, batch: "pyarrow.Table") -> "pyarrow.Table":  # noqa: F821
        import pyarrow as pa

        idx = batch.schema.get_field_index(self.column)
        if idx < 0:
            raise KeyError(f"textmend: column {self.column!r} not in dataset columns {batch.column_names}")
        col = batch.column(idx)
        values = col.to_pylist()
        todo = [i for i, v in enumerate(values) if v is not None]
        results = self.cleaner.clean_batch([values[i] for i in todo])
        texts: list = [None] * len(values)
        edits: list = [None] * len(values)
        metas: list = [None] * len(values)
        for i, r in zip(todo, results):
            texts[i] = r["text"]
            if self.add_edits:
                edits[i] = json.dumps(r["edits"], ensure_ascii=False)
            if self.add_metadata:
                metas[i] = json.dumps(r["metadata"], ensure_ascii=False)
        # Keep the column's own string type (string or large_string).
        out = batch.set_column(idx, batch.schema.field(idx), pa.array(texts, type=col.type))
        if self.add_edits:
            out = _put(out, self.edits_column, pa.array(edits, type=pa.string()))
        if self.add_metadata:
            out = _put(out, self.metadata_column, pa.array(metas, type=pa.string()))
        if self.pid_column:
            out = _put(out, self.pid_column, pa.array([os.getpid()] * len(values), type=pa.int64()))
        return out


def _put(table, name, array):
    i = table.schema.get_field_index(name)
    if i >= 0:
        return table.set_column(i, name, array)
    return table.append_column(name, array)


def clean_dataset(
    ds: "ray.data.Dataset",  # noqa: F821
    column: str = "text",
    config: Optional[Dict[str, Any]] = None,
    add_edits: bool = False,
    add_metadata: bool = True,
    batch_size: int = 256,
    concurrency: int = 2,
    num_cpus: float = 0.5,
    edits_column: str = "textmend_edits",
    metadata_column: str = "textmend_metadata",
    pid_column: Optional[str] = None,
) -> "ray.data.Dataset":  # noqa: F821
    """Returns ``ds`` with ``column`` cleaned by textmend (lazily, like every Ray Data transform).

    - ``config``: a textmend config dict (the keys of textmend.toml); checked here, on the driver,
      so a bad key fails before any actor starts.
    - ``add_edits``: add ``edits_column``, the change log of each row as a JSON string (a list of
      edits: rule, also, kind, start, end, byte_start, byte_end, before, after, confidence).
    - ``add_metadata``: add ``metadata_column``, what was learnt (title, date, source...) as a JSON
      object string.
    - ``concurrency``: actors in the pool, each asking ``num_cpus`` CPUs. Keep
      ``concurrency * num_cpus`` below the cluster's CPUs so the read tasks still get some: on a
      2-core machine two actors of 0.5 CPU work, two of 1 CPU starve the readers.
    - ``pid_column``: if set, add the worker's process id (to see how work was spread).

    Null texts stay null (and get null edits/metadata).
    """
    Cleaner(config)  # fail fast on a bad config
    kwargs = dict(
        column=column,
        config=config,
        add_edits=add_edits,
        add_metadata=add_metadata,
        edits_column=edits_column,
        metadata_column=metadata_column,
        pid_column=pid_column,
    )
    return ds.map_batches(
        CleanBatch,
        fn_constructor_kwargs=kwargs,
        batch_format="pyarrow",
        batch_size=batch_size,
        zero_copy_batch=True,
        **_pool_args(concurrency),
        num_cpus=num_cpus,
    )


def _pool_args(size: int) -> Dict[str, Any]:
    """An actor pool of ``size``: ``compute=ActorPoolStrategy`` where Ray has it, else ``concurrency``."""
    try:
        from ray.data import ActorPoolStrategy
    except ImportError:  # pragma: no cover
        return {"concurrency": size}
    return {"compute": ActorPoolStrategy(size=size)}
