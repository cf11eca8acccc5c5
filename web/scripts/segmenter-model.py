#!/usr/bin/env python3
"""Regenerate web/public/models/selfie_segmenter.tflite (background blur model).

Why: background blur (@livekit/track-processors -> MediaPipe Tasks
ImageSegmenter) has to load its model from our own origin, not Google's
storage. The selfie segmentation model published on npm
(@mediapipe/selfie_segmentation, Apache-2.0, by the MediaPipe authors) is a
bare TFLite file: it lacks the metadata Tasks requires (input normalization,
output description), and ImageSegmenter fails on it. This script takes its
landscape variant (256x144 input, the fastest) and writes that metadata in.
Run it once when the model should change; the output is committed, so builds
and CI never run it.

Needs: npm on PATH and a venv with the pinned MediaPipe (newer wheels lack
the metadata writer's native part):
    python3 -m venv /tmp/segvenv && /tmp/segvenv/bin/pip install mediapipe==0.10.14
    /tmp/segvenv/bin/python web/scripts/segmenter-model.py [OUT.tflite]
"""
import pathlib
import subprocess
import sys
import tarfile
import tempfile

from mediapipe.tasks.python.metadata.metadata_writers import image_segmenter

PACKAGE = "@mediapipe/selfie_segmentation@0.1.1675465747"
MEMBER = "package/selfie_segmentation_landscape.tflite"
DEFAULT_OUT = pathlib.Path(__file__).resolve().parents[1] / "public/models/selfie_segmenter.tflite"


def fetch_model() -> bytearray:
  with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    (tarball,) = pathlib.Path(tmp).glob("*.tgz")
    with tarfile.open(tarball) as tar:
      return bytearray(tar.extractfile(MEMBER).read())


def main() -> None:
  out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
  writer = image_segmenter.MetadataWriter.create(
      fetch_model(),
      input_norm_mean=[0.0],  # the network takes RGB scaled to [0, 1],
      input_norm_std=[255.0],  # i.e. (pixel - 0) / 255
      # One output channel, the person probability. The network already ends
      # in a sigmoid, so Tasks must not apply another activation. No labels:
      # they would be packed as a zip with the current time, and the output
      # would differ on every run.
      activation=image_segmenter.Activation.NONE,
  )
  model, _ = writer.populate()
  out.parent.mkdir(parents=True, exist_ok=True)
  out.write_bytes(model)
  print(f"wrote {out} ({len(model)} bytes)")


if __name__ == "__main__":
  main()
