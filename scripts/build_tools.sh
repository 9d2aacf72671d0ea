#!/usr/bin/env bash
# Makes sure the C++ tool chain that the default LP backend (HiGHS, built from source by the
# highs-sys crate) needs is present: cmake, g++ and libclang (for bindgen). Installs the
# missing ones from Debian's packages when it can (root or sudo), else says what to install.
# A pure-Rust build needs none of them: `cargo build --no-default-features --features lp-microlp`.
set -euo pipefail

missing=()
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
# libclang itself, not libclang-cpp (which other packages bring and bindgen cannot use).
if ! { ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'; } \
    && ! compgen -G '/usr/lib/llvm-*/lib/libclang.so*' >/dev/null \
    && ! compgen -G '/usr/lib/llvm-*/lib/libclang-[0-9]*.so*' >/dev/null \
    && [[ -z "${LIBCLANG_PATH:-}" ]]; then
    missing+=(libclang-dev)
fi
((${#missing[@]})) || exit 0

echo "build_tools: installing ${missing[*]} (needed to compile HiGHS)" >&2
if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null; then
    SUDO=(sudo)
else
    echo "build_tools: cannot install without root; run: apt-get install -y ${missing[*]}" >&2
    echo "build_tools: or build without HiGHS: --no-default-features --features lp-microlp" >&2
    exit 1
fi
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
