#ifndef CLIBYAML_SHIM_H
#define CLIBYAML_SHIM_H

// The system libyaml (Debian `libyaml-dev`), seen from Swift through this one
// header. Nothing is vendored: the `YAML` target wraps these calls and keeps
// every libyaml object inside a single synchronous function.
#include <yaml.h>

#endif
