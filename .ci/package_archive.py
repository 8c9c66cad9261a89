"""Packs a built loclint binary into its release archive, with a checksum.

Usage: python .ci/package_archive.py BINARY TARGET OUT_DIR

Writes OUT_DIR/loclint-TARGET.tar.gz (OUT_DIR/loclint-TARGET.zip for a
Windows target) holding loclint-TARGET/loclint (or loclint.exe) and
README.md, and beside it loclint-TARGET.<ext>.sha256 in `sha256sum` format,
which install.sh, install.ps1 and the GitHub Action verify. Python rather
than tar/zip/sha256sum so that every release runner (Linux, macOS, Windows)
packs the same way.
"""

import gzip
import hashlib
import io
import pathlib
import sys
import tarfile
import zipfile

REPO = pathlib.Path(__file__).resolve().parent.parent


def pack_tar(archive, folder, files):
    # gzip's header time fixed too: the same binary gives the same archive.
    with open(archive, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name, data, executable in files:
                info = tarfile.TarInfo(f"{folder}/{name}")
                info.size = len(data)
                info.mode = 0o755 if executable else 0o644
                tar.addfile(info, io.BytesIO(data))


def pack_zip(archive, folder, files):
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data, executable in files:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, data)


def main():
    if len(sys.argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, target, out = pathlib.Path(sys.argv[1]), sys.argv[2], pathlib.Path(sys.argv[3])
    windows = "windows" in target
    folder = f"loclint-{target}"
    files = [
        ("loclint.exe" if windows else "loclint", binary.read_bytes(), True),
        ("README.md", (REPO / "README.md").read_bytes(), False),
    ]
    out.mkdir(parents=True, exist_ok=True)
    archive = out / (folder + (".zip" if windows else ".tar.gz"))
    (pack_zip if windows else pack_tar)(archive, folder, files)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{digest}  {archive.name}\n", encoding="utf-8", newline="\n")
    print(f"{archive} ({archive.stat().st_size} bytes, sha256 {digest})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
