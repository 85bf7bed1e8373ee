#!/usr/bin/env bash
# Mutation testing of flowbind's codec modules with mutmut (docs/mutation.md).
#
#   tools/mutation.sh            # mutate, test every mutant, print the survivors
#   JOBS=2 tools/mutation.sh     # two mutants at a time
#   MODULES="codec schema" tools/mutation.sh
#   tools/mutation.sh results    # only print what the last run found
#
# It runs in a scratch copy of the checkout (MUTATION_DIR, default /tmp/flowbind-mutation),
# so that mutmut's config (setup.cfg) and its mutants/ cache never touch the checkout; the
# copy's src/ and tests/ are refreshed from the checkout at every run (mutmut then re-tests
# only what changed). Each mutant runs the codec's fast tests, with the `ci` hypothesis profile.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${MUTATION_DIR:-/tmp/flowbind-mutation}
modules=${MODULES:-"codec model reference schema dictform"}
tests=${TESTS:-"tests/test_vectors.py tests/test_codec.py tests/test_interpretation.py tests/test_reference.py tests/test_properties.py tests/test_model.py tests/test_mutation_kills.py"}
mutmut="$root/.venv/bin/mutmut"

mkdir -p "$work"
cd "$work"
if [ "${1:-run}" = run ]; then
  rm -rf src tests
  cp -a "$root/src" "$root/tests" "$root/pyproject.toml" "$root/README.md" "$root/LICENSE" .
  find src tests -name __pycache__ -prune -exec rm -rf {} +
  {
    echo "[mutmut]"
    echo "source_paths = src/flowbind"
    echo "only_mutate ="
    for m in $modules; do echo "    src/flowbind/$m.py"; done
    echo "pytest_add_cli_args_test_selection ="
    for t in $tests; do [ -f "$t" ] && echo "    $t"; done
    echo "pytest_add_cli_args ="
    echo "    -p"
    echo "    no:cacheprovider"
  } > setup.cfg
  HYPOTHESIS_PROFILE=ci "$mutmut" run --max-children "${JOBS:-1}" || true
fi
"$mutmut" results --all true 2>/dev/null | tee results.txt | grep -v ": killed$" || true
echo "== $(grep -c ': killed$' results.txt) killed, $(grep -c ': survived$' results.txt) survived," \
  "$(grep -v -c -e ': killed$' -e ': survived$' results.txt) other, of $(wc -l < results.txt) mutants"
