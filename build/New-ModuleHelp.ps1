<#
    Writes MAML help for every exported cmdlet from module/help/<Cmdlet>.md (platyPS-like markdown; platyPS
    itself is not obtainable here). Prose comes from the markdown; syntax, types, positions, pipeline input,
    aliases and wildcard support come from the compiled cmdlet, so they can never drift from the code.
    Fails when a cmdlet has no markdown, or when its markdown misses a synopsis, a description, an example
    or any parameter.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $MarkdownFolder,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# -WhatIf and -Confirm are documented per cmdlet (they mean something specific there); the other common parameters are not.
$commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

function Read-HelpMarkdown([string] $Path) {
    # Splits the markdown into sections (## NAME) and subsections (### name), keeping raw text.
    $help = @{ Sections = [ordered]@{}; Subsections = @{} }
    $section = $null; $subsection = $null
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^## (.+)$') {
            $section = $Matches[1].Trim().ToUpperInvariant(); $subsection = $null
            $help.Sections[$section] = [System.Collections.Generic.List[string]]::new()
            $help.Subsections[$section] = [ordered]@{}
            continue
        }
        if (-not $inFence -and $section -and $line -match '^### (.+)$') {
            $subsection = $Matches[1].Trim()
            $help.Subsections[$section][$subsection] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($null -eq $section) { continue }
        if ($subsection) { $help.Subsections[$section][$subsection].Add($line) } else { $help.Sections[$section].Add($line) }
    }
    return $help
}

function Split-Paragraphs([string[]] $Lines) {
    $text = ($Lines -join "`n").Trim()
    if (-not $text) { return @() }
    return @($text -split "\n\s*\n" | ForEach-Object { ($_ -split "\n" | ForEach-Object { $_.Trim() }) -join ' ' })
}

function Add-Paragraphs($Writer, [string[]] $Paragraphs) {
    foreach ($paragraph in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $mamlNs, $paragraph) }
}

function Get-ParameterFacts($Command, [string] $Name) {
    $parameter = $Command.Parameters[$Name]
    $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    $pipeline = @()
    if ($attributes | Where-Object ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($attributes | Where-Object ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $positions = @($attributes | Where-Object { $_.Position -ge 0 } | ForEach-Object Position)
    [pscustomobject]@{
        Name      = $Name
        TypeName  = $parameter.ParameterType.Name
        IsSwitch  = $parameter.SwitchParameter
        Required  = [bool]($attributes | Where-Object Mandatory)
        Position  = if ($positions.Count) { [string]$positions[0] } else { 'named' }
        Pipeline  = if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }
        Aliases   = if ($parameter.Aliases.Count) { $parameter.Aliases -join ', ' } else { 'none' }
        Globbing  = [bool]($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    }
}

function Write-Parameter($Writer, $Facts, [string[]] $Description, [bool] $InSyntax) {
    $Writer.WriteStartElement('command', 'parameter', $commandNs)
    $Writer.WriteAttributeString('required', $Facts.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', 'true')
    $Writer.WriteAttributeString('globbing', $Facts.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Facts.Pipeline)
    $Writer.WriteAttributeString('position', $Facts.Position)
    $Writer.WriteAttributeString('aliases', $Facts.Aliases)
    $Writer.WriteElementString('maml', 'name', $mamlNs, $Facts.Name)
    $Writer.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $Writer $Description; $Writer.WriteEndElement()
    if (-not $Facts.IsSwitch -or -not $InSyntax) {
        $Writer.WriteStartElement('command', 'parameterValue', $commandNs)
        $Writer.WriteAttributeString('required', (-not $Facts.IsSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Facts.TypeName)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $devNs); $Writer.WriteElementString('maml', 'name', $mamlNs, $Facts.TypeName); $Writer.WriteEndElement()
    if (-not $InSyntax) { $Writer.WriteElementString('dev', 'defaultValue', $devNs, $(if ($Facts.IsSwitch) { 'False' } else { 'None' })) }
    $Writer.WriteEndElement()
}

function Write-TypeList($Writer, [string] $ListElement, [string] $ItemElement, $Types) {
    $Writer.WriteStartElement('command', $ListElement, $commandNs)
    foreach ($name in $Types.Keys) {
        $Writer.WriteStartElement('command', $ItemElement, $commandNs)
        $Writer.WriteStartElement('dev', 'type', $devNs); $Writer.WriteElementString('maml', 'name', $mamlNs, $name); $Writer.WriteEndElement()
        $Writer.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $Writer (Split-Paragraphs $Types[$name]); $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
}

$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

$module = Import-Module $ModulePath -PassThru -Force
$problems = [System.Collections.Generic.List[string]]::new()
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
$writer.WriteStartDocument()
$writer.WriteStartElement('helpItems', 'http://msh')
$writer.WriteAttributeString('schema', 'maml')

foreach ($name in ($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = Get-Command $name -Module $module.Name
    $markdownPath = Join-Path $MarkdownFolder "$name.md"
    if (-not (Test-Path $markdownPath)) { $problems.Add("${name}: no help file '$markdownPath'."); continue }
    $help = Read-HelpMarkdown $markdownPath
    $synopsis = if ($help.Sections.Contains('SYNOPSIS')) { Split-Paragraphs $help.Sections['SYNOPSIS'] } else { @() }
    $description = if ($help.Sections.Contains('DESCRIPTION')) { Split-Paragraphs $help.Sections['DESCRIPTION'] } else { @() }
    $examples = if ($help.Subsections.Contains('EXAMPLES')) { $help.Subsections['EXAMPLES'] } else { @{} }
    $parameterHelp = if ($help.Subsections.Contains('PARAMETERS')) { $help.Subsections['PARAMETERS'] } else { @{} }
    if (-not $synopsis) { $problems.Add("${name}: SYNOPSIS is empty.") }
    if (-not $description) { $problems.Add("${name}: DESCRIPTION is empty.") }
    if ($examples.Count -eq 0) { $problems.Add("${name}: no example.") }
    $parameterNames = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters })
    foreach ($parameterName in $parameterNames) {
        if (-not $parameterHelp.Contains("-$parameterName")) { $problems.Add("${name}: parameter -$parameterName is not described.") }
    }
    foreach ($documented in $parameterHelp.Keys) {
        if ($documented.TrimStart('-') -notin $parameterNames) { $problems.Add("${name}: help describes '$documented', which the cmdlet does not have.") }
    }

    $writer.WriteStartElement('command', 'command', $commandNs)
    $writer.WriteAttributeString('xmlns', 'maml', $null, $mamlNs)
    $writer.WriteAttributeString('xmlns', 'dev', $null, $devNs)
    $writer.WriteStartElement('command', 'details', $commandNs)
    $writer.WriteElementString('command', 'name', $commandNs, $name)
    $writer.WriteElementString('command', 'verb', $commandNs, $command.Verb)
    $writer.WriteElementString('command', 'noun', $commandNs, $command.Noun)
    $writer.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $writer $synopsis; $writer.WriteEndElement()
    $writer.WriteEndElement()
    $writer.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $writer $description; $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'syntax', $commandNs)
    foreach ($set in $command.ParameterSets) {
        $writer.WriteStartElement('command', 'syntaxItem', $commandNs)
        $writer.WriteElementString('maml', 'name', $mamlNs, $name)
        foreach ($parameter in $set.Parameters | Where-Object { $_.Name -notin $commonParameters }) {
            $facts = Get-ParameterFacts $command $parameter.Name
            $facts.Required = $parameter.IsMandatory
            $facts.Position = if ($parameter.Position -ge 0) { [string]$parameter.Position } else { 'named' }
            Write-Parameter $writer $facts (Split-Paragraphs $parameterHelp["-$($parameter.Name)"]) $true
        }
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'parameters', $commandNs)
    foreach ($parameterName in $parameterNames) {
        Write-Parameter $writer (Get-ParameterFacts $command $parameterName) (Split-Paragraphs $parameterHelp["-$parameterName"]) $false
    }
    $writer.WriteEndElement()

    $inputs = if ($help.Subsections.Contains('INPUTS')) { $help.Subsections['INPUTS'] } else { @{} }
    $outputs = if ($help.Subsections.Contains('OUTPUTS')) { $help.Subsections['OUTPUTS'] } else { @{} }
    Write-TypeList $writer 'inputTypes' 'inputType' $inputs
    Write-TypeList $writer 'returnValues' 'returnValue' $outputs

    if ($help.Sections.Contains('NOTES')) {
        $writer.WriteStartElement('maml', 'alertSet', $mamlNs)
        $writer.WriteStartElement('maml', 'alert', $mamlNs); Add-Paragraphs $writer (Split-Paragraphs $help.Sections['NOTES']); $writer.WriteEndElement()
        $writer.WriteEndElement()
    }

    $writer.WriteStartElement('command', 'examples', $commandNs)
    foreach ($title in $examples.Keys) {
        $lines = @($examples[$title])
        $code = [System.Collections.Generic.List[string]]::new(); $remarks = [System.Collections.Generic.List[string]]::new()
        $inCode = $false; $codeDone = $false
        foreach ($line in $lines) {
            if ($line -match '^```') { if ($inCode) { $inCode = $false; $codeDone = $true } elseif (-not $codeDone) { $inCode = $true }; continue }
            if ($inCode) { $code.Add($line) } elseif ($codeDone) { $remarks.Add($line) }
        }
        if ($code.Count -eq 0) { $problems.Add("${name}: example '$title' has no code block.") }
        $writer.WriteStartElement('command', 'example', $commandNs)
        $writer.WriteElementString('maml', 'title', $mamlNs, "--------- $title ---------")
        $writer.WriteElementString('dev', 'code', $devNs, ($code -join "`n"))
        $writer.WriteStartElement('dev', 'remarks', $devNs); Add-Paragraphs $writer (Split-Paragraphs $remarks); $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()

    $writer.WriteStartElement('command', 'relatedLinks', $commandNs)
    $writer.WriteStartElement('maml', 'navigationLink', $mamlNs)
    $writer.WriteElementString('maml', 'linkText', $mamlNs, 'about_SensoClassLink')
    $writer.WriteElementString('maml', 'uri', $mamlNs, '')
    $writer.WriteEndElement()
    $writer.WriteEndElement()

    $writer.WriteEndElement()
}
$writer.WriteEndElement()
$writer.WriteEndDocument()
$writer.Dispose()

if ($problems.Count) {
    Remove-Item -LiteralPath $OutputPath
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
