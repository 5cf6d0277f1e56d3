"""A notebook cut off in the middle: not JSON."""
STATUS = "invalid-notebook"
DATA = b'{"cells": [ this is not JSON'
