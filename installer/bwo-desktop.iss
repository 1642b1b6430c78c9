; Inno Setup 6 script for bwo-desktop: a per-user installer that needs no admin rights.
;
; Build the bundle first (installer/bwo-desktop.spec -> dist\bwo-desktop\), then:
;   iscc /DMyAppVersion=0.1.0 /DMyAppNumericVersion=0.1.0.0 installer\bwo-desktop.iss
; Output: dist\bwo-desktop-<version>-setup.exe
;
; The app lives in %LOCALAPPDATA%\Programs\bwo-desktop; the consultant's data (the encrypted
; database, its key file, backups, settings) lives in %LOCALAPPDATA%\SDD\bwo-desktop. That
; folder is never touched by this script: not on upgrade, not on uninstall.

#ifndef BundleDir
  #define BundleDir "..\dist\bwo-desktop"
#endif
#ifndef MyAppVersion
  #define MyAppVersion GetStringFileInfo(AddBackslash(SourcePath) + BundleDir + "\bwo-desktop.exe", "ProductVersion")
#endif
#ifndef MyAppNumericVersion
  #define MyAppNumericVersion GetVersionNumbersString(AddBackslash(SourcePath) + BundleDir + "\bwo-desktop.exe")
#endif
#define MyAppName "BWO Herindicatie"
#define MyAppPublisher "Sociale Dienst Drechtsteden"
#define MyAppExeName "bwo-desktop.exe"

[Setup]
; The AppId identifies the app for upgrades: never change it, or a new version installs
; beside the old one instead of over it.
AppId={{CD12BD5D-57BC-4674-9D85-47239C6A51C8}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppVerName={#MyAppName} {#MyAppVersion}
AppPublisher={#MyAppPublisher}
VersionInfoVersion={#MyAppNumericVersion}
VersionInfoProductVersion={#MyAppNumericVersion}
VersionInfoCompany={#MyAppPublisher}
VersionInfoDescription={#MyAppName} installatieprogramma
; Per user, no administrator: {autopf} is %LOCALAPPDATA%\Programs with lowest privileges.
PrivilegesRequired=lowest
DefaultDirName={autopf}\bwo-desktop
UsePreviousAppDir=yes
DisableDirPage=auto
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=bwo-desktop-{#MyAppVersion}-setup
SetupIconFile=bwo-desktop.ico
UninstallDisplayIcon={app}\{#MyAppExeName}
UninstallDisplayName={#MyAppName} {#MyAppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; An upgrade closes a running app (it saves as it goes) and does not restart it.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"

[CustomMessages]
dutch.DataKept=Uw gegevens (database, back-ups en instellingen) zijn niet verwijderd. Ze staan in:
dutch.DataBack=Installeert u BWO Herindicatie later opnieuw, dan zijn ze er weer.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrade in place: clear the previous bundle's libraries so no stale DLL or module of an
; older version stays behind. Only the program folder; the user's data is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExeName}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes only the files it
; installed. The data folder %LOCALAPPDATA%\SDD\bwo-desktop stays.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(CustomMessage('DataKept') + #13#10 + ExpandConstant('{localappdata}\SDD\bwo-desktop')
      + #13#10#13#10 + CustomMessage('DataBack'), mbInformation, MB_OK);
end;
