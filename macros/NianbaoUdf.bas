Attribute VB_Name = "NianbaoUdf"
' Worksheet functions of the nianbao add-in, computed by Python through the
' xlwings UDF server. The Python side is nianbao.addin.xl (NB_STATUS, NB_FINDINGS);
' the calling cell is passed as the reserved "caller" argument.
' Both are volatile: they take no cell arguments, so Excel would otherwise
' never recalculate them when the tables change.
Option Explicit

Public Function NB_STATUS()
    Application.Volatile
    On Error GoTo failed
    NB_STATUS = XLPy.CallUDF("nianbao.addin.xl", "NB_STATUS", Array(Nothing), Application.Caller.Parent.Parent, Application.Caller)
    Exit Function
failed:
    NB_STATUS = Err.Description
End Function

Public Function NB_FINDINGS()
    Application.Volatile
    On Error GoTo failed
    NB_FINDINGS = XLPy.CallUDF("nianbao.addin.xl", "NB_FINDINGS", Array(Nothing), Application.Caller.Parent.Parent, Application.Caller)
    Exit Function
failed:
    NB_FINDINGS = Err.Description
End Function
