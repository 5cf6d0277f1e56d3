"""The lectures' running example, shared by the tests that trace, draw and step through it,
with its node values, tangents and adjoints derived by hand (see tests/test_ad_trace.py)."""
import numpy as np

import course.ad.numpy as anp


def L(w1, w2):
    """L(w1, w2) = w2 log w1 + sqrt(w2 log w1), with the slide's nodes v1, v2, v3."""
    v1 = anp.log(w1)
    v2 = w2 * v1
    return v2 + anp.sqrt(v2)


def values(w1, w2):
    v1 = np.log(w1)
    v2 = w2 * v1
    v3 = np.sqrt(v2)
    return {"w1": w1, "w2": w2, "v1": v1, "v2": v2, "v3": v3, "L": v2 + v3}


def tangents_along_w1(w1, w2):
    v = values(w1, w2)
    t = {"w1": 1.0, "w2": 0.0, "v1": 1 / w1, "v2": w2 / w1, "v3": w2 / (2 * w1 * v["v3"])}
    t["L"] = t["v2"] + t["v3"]
    return t


def tangents_along_w2(w1, w2):
    v = values(w1, w2)
    t = {"w1": 0.0, "w2": 1.0, "v1": 0.0, "v2": np.log(w1), "v3": np.log(w1) / (2 * v["v3"])}
    t["L"] = t["v2"] + t["v3"]
    return t


def adjoints(w1, w2):
    v = values(w1, w2)
    a = {"L": 1.0, "v3": 1.0}
    a["v2"] = 1.0 + a["v3"] / (2 * v["v3"])
    a["v1"] = w2 * a["v2"]
    a["w2"] = v["v1"] * a["v2"]
    a["w1"] = a["v1"] / w1
    return a
