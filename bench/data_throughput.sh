#!/usr/bin/env bash
# Loader throughput on ImageNet-like JPEGs (500x375, quality 90): decode, shorter side 256, crops, flip,
# PCA lighting and normalization on all cores.   bash bench/data_throughput.sh [IMAGES (1000)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
dpkg-query -W -f='${Status}' python3-skimage 2>/dev/null | grep -q "install ok installed" || apt-get install -y -qq python3-skimage python3-pil >/dev/null
folder="$(mktemp -d)/jpegs"
/usr/bin/python3 bench/make_jpeg_folder.py "$folder" "${1:-1000}"
dotnet build src/AlexNet.Cli -c Release -v quiet -nologo >/dev/null
./alexnet bench-data "$folder" --batches 30
