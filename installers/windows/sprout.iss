; Inno Setup recipe for Sprout (Mầm) on Windows. Not yet built: see .github/workflows/windows-macos.yml.
; Silent install:    SproutSetup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/OEM=C:\path\oem.toml]
; Silent uninstall:  set SPROUT_UNINSTALL_TOKEN=... (device makers) or run `sprout-agent.exe unlock` first, then
;                    "C:\Program Files\Sprout\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
#define AppVersion GetEnv("SPROUT_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6D2C4F0E-4B8A-5F7E-9A51-5C0F7E2B1A33}
AppName=Sprout (Mầm)
AppVersion={#AppVersion}
AppPublisher=Sprout developers
DefaultDirName={autopf}\Sprout
DefaultGroupName=Sprout
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=SproutSetup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
SetupIconFile=..\..\dist\sprout.ico
UninstallDisplayIcon={app}\sprout-console\sprout-console.exe
CloseApplications=no

[Languages]
Name: "vi"; MessagesFile: "compiler:Languages\Vietnamese.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\sprout-agent\*"; DestDir: "{app}\sprout-agent"; Flags: recursesubdirs ignoreversion
Source: "..\..\dist\sprout-companion\*"; DestDir: "{app}\sprout-companion"; Flags: recursesubdirs ignoreversion
Source: "..\..\dist\sprout-console\*"; DestDir: "{app}\sprout-console"; Flags: recursesubdirs ignoreversion
Source: "..\..\dist\sprout-service\*"; DestDir: "{app}\service"; Flags: recursesubdirs ignoreversion
Source: "..\..\resources\browser-policies\windows\sprout-browser-policies.reg"; DestDir: "{app}\policies"
Source: "..\..\resources\browser-policies\windows\sprout-browser-policies-remove.reg"; DestDir: "{app}\policies"
Source: "{param:OEM}"; DestDir: "{commonappdata}\Sprout"; DestName: "oem.toml"; Flags: external skipifsourcedoesntexist onlyifdoesntexist

[Dirs]
Name: "{commonappdata}\Sprout"; Permissions: system-full admins-full

[Icons]
Name: "{group}\Sprout — bảng điều khiển của cha mẹ"; Filename: "{app}\sprout-console\sprout-console.exe"; Parameters: "gui"
; the child's companion starts at every user's login
Name: "{commonstartup}\Sprout companion"; Filename: "{app}\sprout-companion\sprout-companion.exe"

[Run]
Filename: "{sys}\reg.exe"; Parameters: "import ""{app}\policies\sprout-browser-policies.reg"""; Flags: runhidden waituntilterminated
Filename: "{app}\sprout-agent\sprout-agent.exe"; Parameters: "system install"; Flags: runhidden waituntilterminated
Filename: "{app}\service\sprout-service.exe"; Parameters: "--startup auto install"; Flags: runhidden waituntilterminated
Filename: "{sys}\sc.exe"; Parameters: "start SproutAgent"; Flags: runhidden waituntilterminated

[UninstallRun]
Filename: "{app}\sprout-agent\sprout-agent.exe"; Parameters: "system allow-stop"; Flags: runhidden waituntilterminated; RunOnceId: "AllowStop"
Filename: "{sys}\sc.exe"; Parameters: "stop SproutAgent"; Flags: runhidden waituntilterminated; RunOnceId: "StopService"
Filename: "{app}\service\sprout-service.exe"; Parameters: "remove"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveService"
Filename: "{app}\sprout-agent\sprout-agent.exe"; Parameters: "system remove"; Flags: runhidden waituntilterminated; RunOnceId: "RestoreDns"
Filename: "{sys}\reg.exe"; Parameters: "import ""{app}\policies\sprout-browser-policies-remove.reg"""; Flags: runhidden waituntilterminated; RunOnceId: "RemovePolicies"

[Code]
{ Removing Sprout needs the parent's PIN (sprout-agent unlock), a paired console's approval, or the device
  maker's token in SPROUT_UNINSTALL_TOKEN; the check also reports the attempt to the parents. }
function InitializeUninstall(): Boolean;
var
  Code: Integer;
begin
  Result := Exec(ExpandConstant('{app}\sprout-agent\sprout-agent.exe'),
                 'unlock --check --action uninstall --state "' + ExpandConstant('{commonappdata}\Sprout') + '"',
                 '', SW_HIDE, ewWaitUntilTerminated, Code) and (Code = 0);
  if not Result then
    SuppressibleMsgBox('Cần mã PIN của cha mẹ để gỡ Sprout. / The parent''s PIN is needed to remove Sprout.' + #13#10 +
      'sprout-agent.exe unlock --action uninstall', mbError, MB_OK, IDOK);
end;
