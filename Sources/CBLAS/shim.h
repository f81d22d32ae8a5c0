// scipy-openblas32 prefixes every symbol with `scipy_`; scripts/setup.sh installs it and its pkg-config file.
#include <cblas.h>
