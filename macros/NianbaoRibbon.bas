Attribute VB_Name = "NianbaoRibbon"
' Ribbon callbacks of the nianbao add-in; the tab is defined in customUI14.xml.
'
' THE GUARD PATTERN -- every button's callback is exactly one line:
'
'     Public Sub NbSomething(control As IRibbonControl)
'         NbRun "import nianbao.addin.xl as m; m.something()"
'     End Sub
'
' Never call RunPython directly from a callback. NbRun first makes sure there is a
' workbook to act on (with none open, or with the workbook in Protected View,
' xlwings' settings lookup would stop on run-time error 91 with a Debug button into
' the editor) and otherwise says in Chinese what to do. It then runs the command
' under an error handler: a VBA run-time error anywhere below it, in xlwings' own
' VBA too, becomes a Chinese message box, never the Debug dialog.
' The command names a fixed ASCII module, so workbook and folder names never enter it.
'
' Keep this file ASCII: VBA source is stored in code page 1252. Chinese text is
' written as \uXXXX escapes and built with ChrW by NbText.
Option Explicit

Private Const MSG_TITLE As String = "\u653F\u52A1\u516C\u5F00\u5E74\u62A5"
Private Const MSG_NO_BOOK As String = "\u8BF7\u5148\u6253\u5F00\u5E74\u62A5\u5DE5\u4F5C\u7C3F\uFF0C\u518D\u70B9\u300C\u653F\u52A1\u516C\u5F00\u5E74\u62A5\u300D\u9009\u9879\u5361\u7684\u6309\u94AE\u3002"
Private Const MSG_PROTECTED_VIEW As String = "\u672C\u5DE5\u4F5C\u7C3F\u5728\u300C\u53D7\u4FDD\u62A4\u7684\u89C6\u56FE\u300D\u4E2D\u6253\u5F00\uFF08\u6765\u81EA\u7F51\u7EDC\u3001\u90AE\u4EF6\u9644\u4EF6\u6216\u4E0D\u5B89\u5168\u7684\u4F4D\u7F6E\uFF09\uFF0C\u4E0D\u80FD\u8FD0\u884C\u5B8F\u3002\u8BF7\u5148\u70B9\u7A97\u53E3\u4E0A\u65B9\u9EC4\u8272\u63D0\u793A\u6761\u4E2D\u7684\u300C\u542F\u7528\u7F16\u8F91\u300D\uFF0C\u518D\u70B9\u6B64\u6309\u94AE\u3002"
Private Const MSG_BLOCKED As String = "Windows \u5B89\u5168\u4E2D\u5FC3\uFF08Defender\uFF09\u963B\u6B62\u4E86 Excel \u542F\u52A8 cmd.exe\uFF0C\u6309\u94AE\u65E0\u6CD5\u8FD0\u884C Python\u3002\u8BF7\u4FE1\u606F\u6280\u672F\u90E8\u95E8\u6309 nianbao \u6587\u6863 docs/addin.md \u7B2C\u4E09\u8282\u5904\u7406\uFF1B\u4E5F\u53EF\u4EE5\u6539\u7528\u547D\u4EE4\u884C\uFF0C\u4F8B\u5982\uFF1Anianbao addin run check \u5E74\u62A5.xlsx"
Private Const MSG_FAILED As String = "\u64CD\u4F5C\u672A\u5B8C\u6210\uFF0CExcel \u5B8F\u51FA\u73B0\u9519\u8BEF\uFF1A"
Private Const MSG_SEE_DOCS As String = "\u8BF7\u6309 nianbao \u6587\u6863 docs/addin.md \u7684\u300C\u5E38\u89C1\u95EE\u9898\u300D\u6392\u67E5\uFF1B\u4E5F\u53EF\u4EE5\u6539\u7528\u547D\u4EE4\u884C\uFF0C\u4F8B\u5982\uFF1Anianbao addin run check \u5E74\u62A5.xlsx"
Private Const ERR_PERMISSION_DENIED As Long = 70  ' what WScript.Run raises when Defender blocks cmd.exe

Public Sub NbCheck(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.check()"
End Sub

Public Sub NbExport(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.export()"
End Sub

Public Sub NbPublish(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.publish()"
End Sub

Public Sub NbNewYear(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.new_year()"
End Sub

Public Sub NbUnlink(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.unlink()"
End Sub

Public Sub NbHelp(control As IRibbonControl)
    NbRun "import nianbao.addin.xl as m; m.show_help()"
End Sub

' The guard: a workbook to act on, then the command under an error handler.
Private Sub NbRun(ByVal pythonCommand As String)
    Dim errNumber As Long, errText As String
    If NbInProtectedView() Then
        NbSay MSG_PROTECTED_VIEW
        Exit Sub
    End If
    If ActiveWorkbook Is Nothing Then
        NbSay MSG_NO_BOOK
        Exit Sub
    End If
    On Error GoTo failed
    RunPython pythonCommand
    Exit Sub
failed:
    errNumber = Err.Number  ' kept first: calling a procedure may clear Err
    errText = Err.Description
    If errNumber = ERR_PERMISSION_DENIED Then
        NbSay MSG_BLOCKED
    Else
        NbSay NbText(MSG_FAILED) & errNumber & " " & errText & vbCrLf & NbText(MSG_SEE_DOCS), False
    End If
End Sub

' True when the active window is a Protected View window (no workbook to run on).
Private Function NbInProtectedView() As Boolean
    On Error Resume Next
    NbInProtectedView = Not (Application.ActiveProtectedViewWindow Is Nothing)
End Function

Private Sub NbSay(ByVal message As String, Optional ByVal escaped As Boolean = True)
    If escaped Then message = NbText(message)
    MsgBox message, vbExclamation, NbText(MSG_TITLE)
End Sub

' "\uXXXX" becomes the character U+XXXX (built with ChrW); everything else stays as written.
Private Function NbText(ByVal s As String) As String
    Dim i As Long, out As String
    i = 1
    Do While i <= Len(s)
        If Mid$(s, i, 2) = "\u" Then
            out = out & ChrW(CLng("&H" & Mid$(s, i + 2, 4)))
            i = i + 6
        Else
            out = out & Mid$(s, i, 1)
            i = i + 1
        End If
    Loop
    NbText = out
End Function
