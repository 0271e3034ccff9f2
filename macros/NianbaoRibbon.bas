Attribute VB_Name = "NianbaoRibbon"
' Ribbon callbacks of the nianbao add-in; the tab is defined in customUI14.xml.
' Each callback is one line that runs Python through xlwings (RunPython) with a
' fixed ASCII module name, so workbook and folder names never enter the command.
' Keep this file ASCII: VBA source is stored in code page 1252.
Option Explicit

Public Sub NbCheck(control As IRibbonControl)
    RunPython "import nianbao.addin.xl as m; m.check()"
End Sub

Public Sub NbExport(control As IRibbonControl)
    RunPython "import nianbao.addin.xl as m; m.export()"
End Sub

Public Sub NbPublish(control As IRibbonControl)
    RunPython "import nianbao.addin.xl as m; m.publish()"
End Sub

Public Sub NbNewYear(control As IRibbonControl)
    RunPython "import nianbao.addin.xl as m; m.new_year()"
End Sub

Public Sub NbHelp(control As IRibbonControl)
    RunPython "import nianbao.addin.xl as m; m.show_help()"
End Sub
