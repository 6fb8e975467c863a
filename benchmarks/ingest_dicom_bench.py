"""DicomReader throughput on small images: N synthetic 256×256 DX chest radiographs, one process.

Each image is a distinct 12-bit array (so the content-addressed blob store writes every one), read
file by file and as one folder into a MemorySink whose blobs go to a temporary folder; "no blobs"
reads file by file into a MemorySink that only hashes, which isolates the reader from the blob store.

    python benchmarks/ingest_dicom_bench.py --images 500
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import DigitalXRayImageStorageForPresentation, ExplicitVRLittleEndian, generate_uid

from healthfm.ingest.base import MemorySink
from healthfm.ingest.dicom import DicomReader

RESULTS = Path(__file__).parent / "results" / "ingest_dicom.json"


def write_radiographs(folder: Path, n: int, size: int = 256, seed: int = 0) -> list[Path]:
    """N single-frame DX files, one study each, for N/4 patients."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size]
    base = 1500 + 800 * np.exp(-(((xx - size / 2) / (size / 3)) ** 2 + ((yy - size / 2) / (size / 2.5)) ** 2))
    paths = []
    for i in range(n):
        pixels = np.clip(base + rng.normal(0, 40, base.shape), 0, 4095).astype(np.uint16)
        meta = FileMetaDataset()
        meta.MediaStorageSOPClassUID = DigitalXRayImageStorageForPresentation
        meta.MediaStorageSOPInstanceUID = generate_uid()
        meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds = Dataset()
        ds.file_meta = meta
        ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
        ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
        ds.PatientID = f"BENCH{i // 4:05d}"
        ds.StudyDate, ds.StudyTime, ds.Modality, ds.BodyPartExamined = "20200101", "101500", "DX", "CHEST"
        ds.Rows, ds.Columns = pixels.shape
        ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
        ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
        ds.PixelSpacing = ds.ImagerPixelSpacing = [1.4, 1.4]
        ds.RescaleIntercept, ds.RescaleSlope = 0, 1
        ds.PixelData = pixels.tobytes()
        path = folder / f"cxr_{i:05d}.dcm"
        ds.save_as(path, enforce_file_format=True)
        paths.append(path)
    return paths


def run(n_images: int, repeats: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="hfm-dicom-bench-"))
    try:
        (work / "dicom").mkdir()
        files = write_radiographs(work / "dicom", n_images)
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        rows = []
        for mode in ("per file", "folder", "no blobs"):
            best = float("inf")
            for r in range(repeats):
                blobs = work / f"blobs-{mode.replace(' ', '')}-{r}"
                sink = MemorySink(blob_root=None if mode == "no blobs" else blobs)
                reader = DicomReader()
                t0 = time.perf_counter()
                if mode != "folder":
                    for path in files:
                        reader.read(path, sink)
                else:
                    reader.read(work / "dicom", sink)
                best = min(best, time.perf_counter() - t0)
                assert not sink.quarantined and sink.counts["ingested:dicom"] == n_images
                shutil.rmtree(blobs, ignore_errors=True)
            rows.append({"mode": mode, "images": n_images, "seconds": best, "images_per_s": n_images / best})
        return {
            "benchmark": "ingest_dicom",
            "machine": f"{platform.node()} · {os.cpu_count()} CPUs · {platform.machine()}",
            "python": platform.python_version(),
            "image": "256x256 uint16 DX, explicit VR little endian, blobs float32 .npy",
            "input_mb": round(size_mb, 1),
            "repeats": repeats,
            "target_images_per_s": 100,
            "results": rows,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    report = run(args.images, args.repeats)
    print(f"{'mode':<10} {'images':>7} {'seconds':>8} {'images/s':>9}")
    for row in report["results"]:  # type: ignore[attr-defined]
        print(f"{row['mode']:<10} {row['images']:>7} {row['seconds']:>8.2f} {row['images_per_s']:>9.0f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
