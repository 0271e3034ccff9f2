"""The Excel add-in's Python side.

``actions`` is what the ribbon buttons and worksheet functions do, over any open workbook (a
``WorkbookAccess``); ``xl`` is the xlwings adapter that Excel calls (the only module that imports
xlwings); ``file_access`` is the same access over a workbook file (``nianbao addin run``, tests);
``build`` writes ``nianbao.xlam`` from ``macros/``.
"""
