# Shared by scripts/test and scripts/demo: installs the Debian packages coinnet needs,
# running `apt-get update` once and only when something is missing.
COINNET_PACKAGES=(
  g++ cmake make pkg-config
  libboost-dev libssl-dev libprotobuf-dev protobuf-compiler libspdlog-dev libfmt-dev
  doctest-dev libsecp256k1-dev libsqlitecpp-dev libsqlite3-dev libcli11-dev libedit-dev
  libbenchmark-dev nlohmann-json3-dev tmux procps jq clang-format-14 ccache
  clang-14 libclang-rt-14-dev python3 python3-matplotlib
  chromium  # the explorer's browser test (tests/process/explorer_page_tests.cpp)
)

coinnet_install_deps() {
  local missing=()
  local pkg
  for pkg in "${COINNET_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "installing missing packages: ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
