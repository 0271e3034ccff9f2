Attribute VB_Name = "NianbaoUdf"
' Worksheet functions of the nianbao add-in, computed by Python through the
' xlwings UDF server (nianbao.addin.xl: NB_STATUS, NB_FINDINGS).
'
' Not volatile: each takes the ranges it judges as arguments, one per sheet, e.g.
'   =NB_STATUS('<sheet>'!A1:C17, ...)
' (the exact formula comes from nianbao.addin.functions.formula and is shown by the
' help button and docs/addin.md), so Excel recalculates them when, and only when,
' those cells change. The ranges themselves (not their values) go to Python, which
' reads each one's sheet, position and values; the reserved first argument "caller"
' is filled in by xlwings. The argument array is built as xlwings' own generated
' wrappers build it for a ParamArray (inline: a ParamArray cannot be handed on),
' with Set so that a range stays a range.
' Any VBA error (for example the Python server not starting) shows as text in the
' cell, never as a dialog.
' Keep this file ASCII: VBA source is stored in code page 1252.
Option Explicit

Public Function NB_STATUS(ParamArray tables() As Variant) As Variant
    Dim argsArray() As Variant, k As Long
    If Not Application.CommandBars("Standard").Controls(1).Enabled Then Exit Function  ' in the Function Wizard
    On Error GoTo failed
    argsArray = Array(Nothing)  ' in the place of "caller"
    ReDim Preserve argsArray(0 To UBound(tables) - LBound(tables) + 1)
    For k = LBound(tables) To UBound(tables)
        If IsObject(tables(k)) Then
            Set argsArray(1 + k - LBound(tables)) = tables(k)
        Else
            argsArray(1 + k - LBound(tables)) = tables(k)
        End If
    Next k
    NB_STATUS = XLPy.CallUDF("nianbao.addin.xl", "NB_STATUS", argsArray, Application.Caller.Parent.Parent, Application.Caller)
    Exit Function
failed:
    NB_STATUS = Err.Description
End Function

Public Function NB_FINDINGS(ParamArray tables() As Variant) As Variant
    Dim argsArray() As Variant, k As Long
    If Not Application.CommandBars("Standard").Controls(1).Enabled Then Exit Function  ' in the Function Wizard
    On Error GoTo failed
    argsArray = Array(Nothing)  ' in the place of "caller"
    ReDim Preserve argsArray(0 To UBound(tables) - LBound(tables) + 1)
    For k = LBound(tables) To UBound(tables)
        If IsObject(tables(k)) Then
            Set argsArray(1 + k - LBound(tables)) = tables(k)
        Else
            argsArray(1 + k - LBound(tables)) = tables(k)
        End If
    Next k
    NB_FINDINGS = XLPy.CallUDF("nianbao.addin.xl", "NB_FINDINGS", argsArray, Application.Caller.Parent.Parent, Application.Caller)
    Exit Function
failed:
    NB_FINDINGS = Err.Description
End Function
