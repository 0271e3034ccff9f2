"""Excel functions pycel lacks, for the fast formula tests (LibreOffice, in the slower tests, has them all)."""


def char(number):
    """CHAR(n) for the ASCII range the workbook uses (tab, line feed, carriage return)."""
    return chr(int(number))
