"""Helper library of the automatic-differentiation course.

`course.ad` is the AD engine the lectures teach (no JAX inside); the other
modules are the numerical tools and drawings the lectures and exercises use.
"""
