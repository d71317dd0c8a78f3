"""落实情况 by e-mail: the Excel reporting template (填报表) each unit fills in, and the import of the
returned workbooks into data/<year>/progress/<round>/<unit>.yaml.

The units work in Excel or WPS and never open a pull request; 市振兴办 sends each unit its
template for a round, collects the returns by e-mail and imports them here:

    python -m workplan templates [--round R]          one workbook per unit + a zip to send out
    python -m workplan import-progress FOLDER [--round R] [--replace]

Modules, one job each:
- layout.py    the workbook contract shared by writer and reader: sheets, cells, columns, meta keys
- template.py  what a unit's template holds (rows from the plan and its reports) and writing it
- cells.py     reading one returned cell the way people type it (dates, percents, statuses, links)
- returns.py   reading one returned workbook into checked rows, every problem at its cell
- yamlfmt.py   the canonical YAML of one unit's reports for one round
- intake.py    importing a batch: compare with data/, write, validate, summarise
"""
