"""nianbao: 政府信息公开工作年度报告 — the official tables, their rules, the workbook and the Word report."""
__version__ = "0.1.0"
