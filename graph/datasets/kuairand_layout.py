"""Where the KuaiRand files are: the processed dataset or its ``smoke/`` sample.

Two layouts hold the same columns:

* **full**: ``processed/{item_features,user_features,user_sequences}.parquet`` and
  ``processed/splits/{val,test}.parquet`` (the dataset folder, or its
  ``processed/`` folder itself);
* **smoke**: ``smoke/user_sequences.parquet`` and ``smoke/splits/{train,val,test}.parquet``,
  a ~2,000-row sample for fast tests. It has no feature tables of its own: video
  attributes (author, sound, tags, duration) come from the sibling
  ``processed/item_features.parquet``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ClientError

#: Training period (last <= 50 items per user), validation and test days.
FULL_PARTS = ("sequences", "val", "test")
#: The smoke sample also keeps its training rows whole (``splits/train.parquet``);
#: they are the rows its ``user_sequences.parquet`` was built from.
SMOKE_PARTS = ("sequences", "train", "val", "test")
DEFAULT_PARTS = FULL_PARTS


@dataclass(frozen=True)
class KuaiRandLayout:
    """The files of one KuaiRand folder."""

    folder: Path
    smoke: bool
    item_features: Path
    #: ``None`` in the smoke sample, whose users are those its files mention.
    user_features: Path | None
    sequences: Path
    splits: dict[str, Path]

    @property
    def parts(self) -> tuple[str, ...]:
        return SMOKE_PARTS if self.smoke else FULL_PARTS

    @property
    def row_parts(self) -> tuple[str, ...]:
        """Parts made of full interaction rows (every part but ``sequences``)."""
        return tuple(part for part in self.parts if part != "sequences")

    def check_parts(self, parts: Collection[str]) -> tuple[str, ...]:
        """``parts`` in load order, or :class:`ClientError` naming what is wrong."""
        unknown = sorted(set(parts) - set(self.parts))
        if unknown:
            raise ClientError(
                f"unknown KuaiRand part(s) {', '.join(unknown)}: this "
                f"{'smoke sample' if self.smoke else 'dataset'} has {', '.join(self.parts)}"
            )
        if not parts:
            raise ClientError(f"no KuaiRand part chosen (choose from {', '.join(self.parts)})")
        if "train" in parts and "sequences" in parts:
            raise ClientError(
                "the smoke sample's 'sequences' were built from its 'train' rows: "
                "load one of them, not both"
            )
        return tuple(part for part in self.parts if part in parts)

    @classmethod
    def detect(cls, path: Path, *, smoke: bool = False) -> KuaiRandLayout:
        """The layout at ``path``; with ``smoke``, the ``smoke/`` sample of the dataset."""
        if not path.is_dir():
            raise ClientError(f"{path} is not a folder: give the KuaiRand dataset folder")
        if smoke and (path / "smoke").is_dir():
            path = path / "smoke"
        if smoke or _is_smoke(path):
            return cls._smoke(path)
        processed = path / "processed" if (path / "processed").is_dir() else path
        return cls._full(processed)

    @classmethod
    def _full(cls, folder: Path) -> KuaiRandLayout:
        layout = cls(
            folder=folder,
            smoke=False,
            item_features=folder / "item_features.parquet",
            user_features=folder / "user_features.parquet",
            sequences=folder / "user_sequences.parquet",
            splits={part: folder / "splits" / f"{part}.parquet" for part in ("val", "test")},
        )
        layout._require_files()
        return layout

    @classmethod
    def _smoke(cls, folder: Path) -> KuaiRandLayout:
        own = folder / "item_features.parquet"
        layout = cls(
            folder=folder,
            smoke=True,
            item_features=own if own.is_file() else folder.parent / "processed" / own.name,
            user_features=None,
            sequences=folder / "user_sequences.parquet",
            splits={part: folder / "splits" / f"{part}.parquet" for part in SMOKE_PARTS[1:]},
        )
        layout._require_files()
        return layout

    def _require_files(self) -> None:
        needed = [self.item_features, self.sequences, *self.splits.values()]
        if self.user_features is not None:
            needed.append(self.user_features)
        missing = [str(path) for path in needed if not path.is_file()]
        if missing:
            kind = "smoke sample" if self.smoke else "KuaiRand dataset"
            raise ClientError(
                f"{self.folder} is not a complete {kind}: missing {', '.join(missing)} "
                "(give the dataset folder that holds processed/, or its smoke/ folder)"
            )


def _is_smoke(folder: Path) -> bool:
    return (folder / "splits" / "train.parquet").is_file() and not (
        folder / "user_features.parquet"
    ).is_file()
