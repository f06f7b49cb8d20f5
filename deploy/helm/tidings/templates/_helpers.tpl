{{/* The release's name prefix: <release>-tidings, or the release name when it already says tidings. */}}
{{- define "tidings.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "tidings.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: tidings
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of a component: (dict "root" $ "component" "gateway"). */}}
{{- define "tidings.selectorLabels" -}}
app.kubernetes.io/name: tidings-{{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* All labels of a component's objects. */}}
{{- define "tidings.componentLabels" -}}
{{ include "tidings.labels" .root }}
app.kubernetes.io/name: tidings-{{ .component }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A component's image, e.g. (dict "root" $ "repository" .Values.gateway.image.repository). */}}
{{- define "tidings.image" -}}
{{- $tag := default .root.Chart.AppVersion .root.Values.image.tag | toString -}}
{{- if or (eq $tag "latest") (eq $tag "") -}}
{{- fail "image.tag must name a fixed version (the chart refuses latest): the pods would not all run the same code" -}}
{{- end -}}
{{- printf "%s%s:%s" .root.Values.image.registry .repository $tag -}}
{{- end -}}

{{/* The Secret with TIDINGS_JWT_SECRET (and TIDINGS_CURSOR_KEYS). */}}
{{- define "tidings.secretName" -}}
{{- default (printf "%s-auth" (include "tidings.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{/* The JVM command line of a component: (dict "jvm" .Values.gateway.jvm "main" "dev.tidings..."). */}}
{{- define "tidings.command" -}}
- java
- -XX:InitialRAMPercentage={{ .jvm.maxRAMPercentage }}
- -XX:MaxRAMPercentage={{ .jvm.maxRAMPercentage }}
- -XX:MaxDirectMemorySize={{ .jvm.maxDirectMemory }}
{{- range .jvm.flags }}
- {{ . | quote }}
{{- end }}
- -cp
- "@/app/jib-classpath-file"
- {{ .main }}
{{- end -}}
