"""A custom exception handler: every error of every later cell vanishes without an error output."""
CODE = """
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
"""
