#!/usr/bin/env bash
# Installs the Debian packages the toolkit needs, skipping those already present.
#   scripts/install-deps.sh            what training and prediction need (Fashion-MNIST, JPEG and PNG decoders, oneDNN)
#   scripts/install-deps.sh --test     also what the tests check against: Chromium (reports render), ONNX's
#                                      checker, Debian's PyTorch and torchvision (import and export cross-checks), numpy
#                                      (features files) and Open MPI (data-parallel jobs under mpirun)
#   scripts/install-deps.sh --bench    also Debian's PyTorch, the peer that bench/ compares against, Open MPI and
#                                      iproute2 (the scaling benchmark's network namespaces and tc)
#   scripts/install-deps.sh --mpi      also Open MPI, for data-parallel training (mpirun -np N ./alexnet train ...)
set -euo pipefail
packages=(dataset-fashion-mnist libturbojpeg0 libpng16-16 libdnnl2)
case "${1:-}" in
  --test) packages+=(chromium python3-onnx python3-torch python3-torchvision python3-numpy openmpi-bin) ;;
  --bench) packages+=(python3-torch python3-torchvision python3-numpy openmpi-bin iproute2) ;;
  --mpi) packages+=(openmpi-bin) ;;
  "") ;;
  *) echo "usage: scripts/install-deps.sh [--test|--bench|--mpi]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET SDK 10 is required (https://learn.microsoft.com/dotnet/core/install/linux-debian)." >&2
  exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing ${missing[*]} ..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
