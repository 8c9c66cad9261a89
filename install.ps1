# Installs loclint's prebuilt binary on Windows from a GitHub release, no Rust
# needed:
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/OWNER/loclint/releases/latest/download/install.ps1 | iex"
#
# Environment (all optional), as for install.sh:
#   LOCLINT_VERSION       release tag to install, e.g. v0.1.0 (default: the latest release)
#   LOCLINT_INSTALL_DIR   where to put loclint.exe (default: %LOCALAPPDATA%\Programs\loclint\bin)
#   LOCLINT_DOWNLOAD_URL  base URL of the release's files
#
# Checks the archive against its published SHA-256 before unpacking. Exit
# status: 0 installed; 3 no archive for this version or platform (nothing
# installed); 1 any other failure.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$RepositoryUrl = 'https://github.com/OWNER/loclint'
$Version = if ($env:LOCLINT_VERSION) { $env:LOCLINT_VERSION } else { 'latest' }
$InstallDir = if ($env:LOCLINT_INSTALL_DIR) { $env:LOCLINT_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'Programs\loclint\bin' }
if ($env:LOCLINT_DOWNLOAD_URL) { $BaseUrl = $env:LOCLINT_DOWNLOAD_URL }
elseif ($Version -eq 'latest') { $BaseUrl = "$RepositoryUrl/releases/latest/download" }
else { $BaseUrl = "$RepositoryUrl/releases/download/$Version" }

function Fail([int]$Code, [string]$Message) {
    [Console]::Error.WriteLine("loclint installer: $Message")
    exit $Code
}

# x64 binaries; Windows on ARM64 runs them under emulation.
if (-not [Environment]::Is64BitOperatingSystem) { Fail 3 'no prebuilt loclint for 32-bit Windows; install it with pip (pip install loclint) or cargo' }
$Target = 'x86_64-pc-windows-msvc'
$Archive = "loclint-$Target.zip"

$Temp = Join-Path ([IO.Path]::GetTempPath()) ("loclint-install-" + [Guid]::NewGuid())
New-Item -ItemType Directory -Path $Temp | Out-Null
try {
    foreach ($File in @($Archive, "$Archive.sha256")) {
        try {
            Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$File" -OutFile (Join-Path $Temp $File)
        } catch {
            $Response = $_.Exception.Response
            if ($Response -and [int]$Response.StatusCode -eq 404) { Fail 3 "no $File in release $Version ($BaseUrl)" }
            Fail 1 "could not download $BaseUrl/$File`: $($_.Exception.Message)"
        }
    }
    $Expected = ((Get-Content -Raw (Join-Path $Temp "$Archive.sha256")) -split '\s+')[0].ToLowerInvariant()
    $Actual = (Get-FileHash -Algorithm SHA256 (Join-Path $Temp $Archive)).Hash.ToLowerInvariant()
    if (-not $Expected -or $Expected -ne $Actual) { Fail 1 "checksum mismatch for $Archive`: expected '$Expected', got '$Actual'; nothing installed" }

    Expand-Archive -Path (Join-Path $Temp $Archive) -DestinationPath $Temp
    $Binary = Join-Path $Temp "loclint-$Target\loclint.exe"
    if (-not (Test-Path $Binary)) { Fail 1 "$Archive has no loclint-$Target\loclint.exe" }
    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -Force $Binary (Join-Path $InstallDir 'loclint.exe')
    $Installed = & (Join-Path $InstallDir 'loclint.exe') --version
    [Console]::Error.WriteLine("loclint installer: installed $Installed to $InstallDir\loclint.exe")
    if (-not (($env:PATH -split ';') -contains $InstallDir)) {
        [Console]::Error.WriteLine("loclint installer: add $InstallDir to your PATH to run it as ``loclint``")
    }
} finally {
    Remove-Item -Recurse -Force $Temp -ErrorAction SilentlyContinue
}
