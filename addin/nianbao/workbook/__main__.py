"""``python -m nianbao.workbook --templates templates/``: write the ready workbook templates."""
from __future__ import annotations

from .writer import write_templates


def main(argv: list[str] | None = None) -> int:
    import argparse
    p = argparse.ArgumentParser(prog="python -m nianbao.workbook", description="生成年报工作簿模板与示意图。")
    p.add_argument("--templates", metavar="DIR", help="写出两种格式的空白模板到 DIR")
    args = p.parse_args(argv)
    if args.templates:
        for path in write_templates(args.templates):
            print(f"已写出：{path}")
    if not args.templates:
        p.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
