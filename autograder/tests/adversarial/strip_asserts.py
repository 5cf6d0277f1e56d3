"""An IPython AST transformer that deletes every assert statement of every later cell."""
CODE = """
import ast

class StripAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()

get_ipython().ast_transformers.append(StripAsserts())
"""
