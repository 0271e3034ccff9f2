"""The Excel add-in's Python side.

``actions`` is what the ribbon buttons do, over any open workbook (a ``WorkbookAccess``);
``functions`` is what the worksheet functions NB_STATUS / NB_FINDINGS compute from the ranges passed
to them; ``xl`` is the xlwings adapter that Excel calls (the only module that imports xlwings);
``file_access`` is the same access over a workbook file (``nianbao addin run``, tests); ``build``
writes ``nianbao.xlam`` from ``macros/``.
"""
