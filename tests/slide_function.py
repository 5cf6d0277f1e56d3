"""The lectures' running example, shared by the tests that trace, draw and step through it."""
import course.ad.numpy as anp


def L(w1, w2):
    """L(w1, w2) = w2 log w1 + sqrt(w2 log w1), with the slide's nodes v1, v2, v3."""
    v1 = anp.log(w1)
    v2 = w2 * v1
    return v2 + anp.sqrt(v2)
