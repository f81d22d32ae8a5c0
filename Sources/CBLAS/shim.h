// scipy-openblas32 prefixes every symbol with `scipy_`; scripts/setup.sh installs its headers here.
#include <scipy_openblas32/cblas.h>
