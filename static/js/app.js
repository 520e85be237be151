// Verbeterbord's own behaviour. No inline scripts anywhere (the Content-Security-Policy
// forbids them): pages opt in with data- attributes and this file wires them up.
"use strict";
