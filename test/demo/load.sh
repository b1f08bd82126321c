#!/usr/bin/env bash
# placeholder replaced by the demo generator
exit 0
