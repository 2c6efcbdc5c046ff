#!/usr/bin/env bash
# Installs the Debian 12 packages reachsim needs to build, test and analyse, if any are missing.
set -euo pipefail

packages=(
  build-essential cmake git pkg-config zlib1g-dev libssl-dev
  libboost-dev libboost-graph-dev libtbb-dev libhdf5-dev libtomlplusplus-dev librandom123-dev
  catch2 libbenchmark-dev clang libclang-rt-dev
  libopenmpi-dev openmpi-bin
  python3 python3-h5py python3-numpy python3-pandas python3-pytest python3-xarray python3-h5netcdf
  python3-matplotlib python3-nbclient python3-nbformat python3-ipykernel time
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
