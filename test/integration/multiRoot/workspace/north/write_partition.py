"""Writes output/<partition>.txt in this folder: which folder ran a partition is visible on disk."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

os.makedirs(os.path.join(HERE, "output"), exist_ok=True)
with open(os.path.join(HERE, "output", f"{sys.argv[1]}.txt"), "w") as f:
    f.write(os.path.basename(HERE))
