# Interfaz de ftop en español.
# Un mensaje por término: la palabra que aparece en varias páginas es un solo mensaje.
# Identificadores en kebab-case; los valores enumerados son PREFIJO-CLAVE.

language-name = Español

## Marco: cabecera, navegación, inicio de sesión, errores

app = ftop
sign-in = Iniciar sesión
sign-out = Cerrar sesión
name = Nombre
password = Contraseña
bad-sign-in = El nombre o la contraseña no son correctos.
language = Idioma
not-found = No encontrado
portfolio = Cartera
adoption = Adopción
notes = Notas
playbook = Guía

## Palabras comunes a varias páginas

tenants = Inquilinos
tenant = Inquilino
customer = Cliente
status = Estado
priority = Prioridad
services = Servicios
service = Servicio
seats = Puestos
entitlements = Derechos
task = Tarea
task-id = ID de la tarea
tenant-id = ID del inquilino
phase = Fase
role = Rol
mandatory = Obligatoria
optional = Opcional
save = Guardar
saved = Guardado.
search = Buscar
filter = Filtrar
previous = Anterior
next = Siguiente
pages-nav = Páginas
date = Fecha
when = Cuándo
who = Quién
what = Qué
date-time-utc = { $day }/{ $month }/{ $year } { $time } UTC
percent-value = { $value } %
points-value = { $value } p. p.
decimal-mark = ,
note = Nota
category = Categoría
owner = Responsable
milestone = Hito
share = Proporción
total = Total
yes = Sí
no = No
id = ID
download-csv = Descargar CSV
read-only = Solo lectura: no está asignado a este inquilino.
conflict = Otra persona cambió esta tarea antes. La página muestra el estado actual; vuelva a aplicar el cambio.
conflict-kept = Otra persona guardó esto mientras tanto. Lo que escribió se conserva abajo; si lo guarda de nuevo, sustituye su cambio (recargue antes la página para verlo).
share-of = { $label }: { $count } de { $total } ({ $percent } %)
au = AU
as-of = a fecha de { $date }

## Cuadrícula de inquilinos (inicio)

my-active = Mis inquilinos activos
my-inactive = Mis inquilinos inactivos
all-tenants = Todos los inquilinos
page-size = Filas por página
no-tenants = Ningún inquilino coincide.
overall-status = Estado general
tenant-search-placeholder = contoso
tripwire-blocked = bloqueado
tripwire-blocked-title = El estado general del inquilino es Bloqueado.
tripwire-unassigned = sin asignación
tripwire-unassigned-title = No hay nadie asignado a este inquilino.

## Página del inquilino: pestañas

tenant-tabs = Secciones del inquilino
usage = Uso
time = Tiempo
contacts = Contactos
partners = Asociados
eligibility = Idoneidad
history = Historial

## Página del inquilino: pestaña Estado

status-date = Fecha del estado
status-note = Nota de estado
new-note = Escribir una nota
next-action = Siguiente acción
save-draft = Guardar borrador
open-full-editor = Abrir el editor completo (plantillas, escalado, fecha y responsable de la siguiente acción)

## Página del inquilino: pestaña Guía y página de la tarea

all-services = Todos los servicios
tenant-wide = Todo el inquilino
all-phases = Todas las fases
no-task-matches = Ninguna tarea coincide.
process = Proceso
step = Paso
last-change = Último cambio
percent-complete = Porcentaje completado
minutes = Minutos
timer-start = Iniciar cronómetro
timer-stop = Detener y rellenar los minutos
timer-running = Cronómetro en marcha: { $time }
time-total = { $minutes } min
task-saved = Tarea { $task }: guardada.

## Página del inquilino: pestaña Servicios

l1 = L1
l2 = L2
l3 = L3
target-date = Fecha objetivo
rows-add-up = La suma de las filas debe coincidir con los derechos.
suggest = Sugerir
suggest-hint = Propone el estado y el motivo a partir de la nota de la fila
suggest-row = Sugerir estado y motivo para la fila { $row }
suggested = Sugerencia para la fila { $row }: { $status } · { $reason } (certeza del { $confidence } %). Revísela y guarde.
suggest-unsure = Sin sugerencia para la fila { $row }: la nota no apunta con claridad a un motivo (la mejor opción, { $reason }, con certeza del { $confidence } %).
suggest-nothing = Sin sugerencia para la fila { $row }: ninguna palabra de la nota distingue un motivo.
reasons-explained = Qué significa cada motivo
rows-total = { $placed } de { $total } derechos repartidos
owner-unassigned = (sin asignar)
delivery = Entrega
engagement-scenario = Escenario de participación
engagement-start-date = Fecha de inicio de la participación
delivery-teams = Equipos de entrega (uno por línea)
save-delivery = Guardar entrega
delivery-managers-only = Solo los FastTrack Manager y los administradores cambian la entrega de un servicio.
credited-partner-named = El crecimiento de la adopción se atribuye al asociado: { $who }, su responsable regional principal.
credited-partner = El crecimiento de la adopción se atribuye al asociado; aún no hay un responsable regional del asociado principal.
credited-fasttrack-named = El crecimiento de la adopción se atribuye a FastTrack: { $who }, el FastTrack Manager principal.
credited-fasttrack = El crecimiento de la adopción se atribuye a FastTrack; aún no hay un FastTrack Manager principal.
credited-nobody = Con este escenario, el crecimiento de la adopción no se atribuye a nadie del programa.
engagement-scenario-ftp-led = Dirigido por el socio (FTC-FTP Led)
engagement-scenario-customer-led-ftp-assist = Dirigido por el cliente con ayuda del socio
engagement-scenario-css-led = Dirigido por FastTrack (FTC-CSS Led)
engagement-scenario-customer-led = Dirigido por el cliente
engagement-scenario-cxp = CXP
engagement-scenario-non-fasttrack-partner-led = Dirigido por un socio ajeno a FastTrack
service-heading = { $service } · { $entitlements } derechos, { $qualified } aptos

## Página del inquilino: pestaña Servicios, previsión

forecast-heading = Uso activo y previsión
forecast = Previsión
reached = Alcanzado
forecast-submitted = Enviado (RFA)
forecast-target-10 = Objetivo del 10 %
forecast-target-40 = Objetivo del 40 % (opcional)
forecast-target-max = Objetivo de AU máximo
forecast-save = Guardar la previsión
forecast-history = Historial de previsiones
forecast-rfa = RFA
forecast-max = máx.

## Página del inquilino: pestañas Contactos, Asociados e Idoneidad

email = Correo electrónico
contact-kind = Tipo
contact-title = Cargo
survey = Encuesta
delete = Eliminar
add-contact = Añadir un contacto
country = País
engaged = Implicado
survey-eligible = Puede recibir la encuesta
survey-language = Idioma de la encuesta
services-comma-separated = Servicios (separados por comas)
partner-company = Empresa asociada
desires-assistance = Quiere ayuda del asociado
remove-partner = Quitar
confirm-remove-partner = Confirmar que esta organización deja de tener acceso
confirm-delete-contact = Eliminar este contacto definitivamente
contact-edit = Editar contacto
time-edit = Corregir una entrada de tiempo
confirm-delete-time = Eliminar esta entrada definitivamente
phone = Teléfono
edit = Editar
eligible-seats = Puestos que cuentan
eligible-program = Programa (150 puestos o una excepción)
eligible-migration = Migración de datos (más de 500 puestos)
eligible-enterprise = Ventajas Enterprise (20 000 puestos o una excepción)
eligible-adoption-benefit = Ventaja adicional de adopción

## Página del inquilino: pestaña Historial (una frase por cambio; { $thing } es uno de los mensajes history-thing-*)

history-created = Alta: { $thing }
history-updated = Cambio: { $thing }
history-updated-fields = Cambio en { $thing }: { $fields }
history-deleted = Baja: { $thing }
history-recorded = Cambio registrado: { $thing }
history-thing-tenant = Inquilino
history-thing-task = Tarea { $task }
history-thing-task-service = Tarea { $task } ({ $service })
history-thing-task-named = Tarea { $task } · { $name }
history-thing-task-service-named = Tarea { $task } · { $name } ({ $service })
history-thing-note = Nota { $id }
history-thing-contact = Contacto { $id }
history-thing-time = Registro de tiempo { $id }
history-thing-service = Servicio { $service }
history-thing-status-rows = Filas de estado de { $service }
history-thing-forecast = Previsión de { $service }
history-thing-delivery = Entrega de { $service }
history-thing-playbook = Versión { $version } del playbook
history-thing-seats = Puestos aptos de { $service }
history-thing-assignment = Asignación de { $user }
history-thing-partner = Empresa asociada { $partner }
history-thing-other = Registro { $id }
history-was = (antes: { $value })
history-empty = Aún no hay cambios registrados.
history-none-match = Ningún cambio coincide con estos filtros.
history-kind = Tipo de cambio
history-any-kind = Todos los tipos
history-who = Hecho por
history-anyone = Cualquiera
history-filter = Mostrar
history-kind-tenant = Ficha del inquilino
history-kind-task = Tareas
history-kind-note = Notas
history-kind-contact = Contactos
history-kind-time = Registros de tiempo
history-kind-service = Servicios
history-kind-entitlement-status = Filas de estado (L1/L2/L3)
history-kind-forecast = Previsiones
history-kind-seats = Puestos
history-kind-assignment = Asignaciones
history-kind-tenant-partner = Empresas asociadas
history-kind-delivery = Entrega (escenario de participación)
history-kind-playbook = Actualizaciones del playbook
## Página del inquilino: pestaña Uso

no-services = Este inquilino no tiene servicios.
adoption-success = Éxito
adoption-success-yes = cada servicio que el cliente piensa usar está al 10 % o más
adoption-success-none-intended = ningún servicio está marcado como previsto
adoption-success-not-yet = todavía no: algún servicio previsto sigue por debajo del 10 %
download-all-figures = Descargar todas las cifras (CSV)
active-usage = Uso activo
usage-trend-description = Uso activo del { $from } al { $to }: { $first } → { $last }
no-usage-figures = Todavía no hay cifras de uso.
reached-on = alcanzado el { $date }
users-needed =
    { $count ->
        [one] falta { $count } usuario activo
       *[other] faltan { $count } usuarios activos
    }
enablement = Habilitación
enablement-complete = completa
enablement-not-yet = todavía no
usage-thresholds = Líneas discontinuas: los hitos del 10 % y del 40 %.
figures = Cifras
active-users = Usuarios activos
qualified-seats = Puestos aptos
milestone-dates = Hito del 10 %: { $ten } · 40 %: { $forty }

## Cartera

portfolio-all = Todos los inquilinos que puedo ver
portfolio-mine = Asignados a mí
active = Activos
inactive = Inactivos
share-of-tenants = Proporción de inquilinos
primary-manager = FastTrack Manager principal
unassigned = Sin asignar
current-phase = Fase actual
no-playbook = No hay ninguna guía cargada.
all-phases-complete = Todas las fases completadas
current-phase-rule = La fase actual de un inquilino es la primera en la que alguna tarea obligatoria de todo el inquilino no está Completada ni marcada como No requerida.

## Panel de adopción

milestones-reached = Hitos alcanzados
this-month = este mes
this-quarter = este trimestre
group-by = Agrupar por
partner = Asociado
manager = Responsable de FastTrack
only-my-tenants = Solo mis inquilinos
services-by-bucket = Servicios por tramo de uso activo
engaged-with-seats = Con puestos aptos
reached-10 = Alcanzaron el 10 %
reached-40 = Alcanzaron el 40 %
tenants-converted = Inquilinos convertidos (10 % / 40 %)
reached-in-window = Alcanzados entre el { $from } y el { $to }
by-service = Por servicio
by-bucket = { $name } por tramo
in-window-10 = 10 % en el periodo
in-window-40 = 40 % en el periodo
forecast-against-actual = Previsión frente a resultado
by-partner = Por asociado
no-partner = (sin asociado)
another-partner = (otra organización asociada)
by-manager = Por responsable
no-manager = (sin asignar)
adoption-engaged = Con puestos
overdue-10 = Previsiones del 10 % vencidas
adoption-rows = Adopción: servicios
no-service-matches = Ningún servicio coincide.
active-of-qualified = Activos / aptos
bucket = Tramo
as-of-heading = Fecha de los datos
forecast-10 = Previsión del 10 %

## Biblioteca de notas y editor

notes-library = Biblioteca de notas
all-categories = Todas las categorías
escalated-only = Solo escaladas
my-notes = Mis notas
my-drafts = Mis borradores
no-drafts = No tiene borradores.
saved-notes = Notas guardadas
no-note-matches = Ninguna nota coincide.
notes-limit = Se muestran las 100 notas más recientes; afine los filtros para ver notas anteriores.
escalated = Escalada
escalated-marker = escalada
note-saved = La nota se ha guardado.
draft-updated = Borrador actualizado.
draft-deleted = Borrador eliminado.
draft-conflict = Alguien modificó este borrador antes que usted. La página muestra el borrador actual; vuelva a aplicar su cambio.
note-saved-already = Esta nota ya está guardada; las notas guardadas no se pueden cambiar.
open-in-editor = Abrir en el editor
save-as-note = Guardar como nota
delete-draft = Eliminar el borrador
back-to-library = Volver a la biblioteca de notas
separated-by-commas = Separados por comas
template = Plantilla
insert-template = Insertar plantilla
template-overwrites = Al insertar una plantilla se sustituye el texto de la nota: insértela antes de empezar a escribir.
no-template = Esta categoría no tiene plantilla. Hay plantillas para Engagement Management y Technical Enablement.
template-replace-warning = La nota ya contiene texto. Si inserta la plantilla, se sustituirá todo.
template-replace = Sustituir el texto por la plantilla
template-keep = Conservar mi texto
next-action-date = Fecha de la siguiente acción
next-action-owner = Responsable de la siguiente acción
clear-all = Vaciar todo
choose-a-button = Use uno de los botones del editor.
editor-draft-conflict = Alguien modificó este borrador antes que usted. Vuelva a abrirlo desde la biblioteca y aplique su cambio.

## Plantillas de notas (Markdown; insertar una sustituye el texto de la nota)

note-template-engagement-management =
    ## Participantes
    - Cliente:
    - Por nuestra parte (FastTrack, partner, equipo de cuenta):

    ## Temas tratados
    -

    ## Preguntas del cliente
    -

    ## Acciones
    - Qué, quién y para cuándo:

    ## Tarea de la guía
    ID y nombre de la tarea en la que avanzó esta conversación, si la hay:
note-template-technical-enablement =
    ## Carga de trabajo afectada
    Servicio o carga de trabajo:

    ## Estado
    En marcha, en riesgo o bloqueado, y el motivo:

    ## Resumen
    Qué se hizo o se acordó en esta interacción:

    ## Siguiente acción
    Qué viene ahora, quién se ocupa y para cuándo:

    ## Inquietudes
    Riesgos o bloqueos (si es un problema del producto, indique su referencia):

## Lector de la guía

playbook-language = Idioma de la guía
not-available-in = No disponible en { $wanted }: se muestra en { $shown }
translations-report = Informe de traducciones
other-pages = Otras páginas
tasks-heading = Tareas
breadcrumb = Ruta de navegación
motions = Modalidades
rules = Reglas
overview = Descripción general
objectives = Objetivos
key-inputs = Entradas clave
key-outputs = Resultados clave
steps = Pasos
primary-roles = Roles principales
next-steps = Pasos siguientes
rule-tasks = tareas { $tasks }
none = Ninguno.
where = Ubicación

## Informe de traducciones de la guía

playbook-translations = Traducciones de la guía
source-language = Idioma de origen
page-count =
    { $count ->
        [one] { $count } página
       *[other] { $count } páginas
    }
task-count =
    { $count ->
        [one] { $count } tarea
       *[other] { $count } tareas
    }
read = Leer
no-other-language = La guía no está en ningún otro idioma.
missing-tasks = Tareas que faltan
extra-tasks = Tareas de más
flag-differences = Diferencias de obligatoriedad
role-differences = Diferencias de rol
stale-pages = Páginas desactualizadas
page = Página
last-changed = Último cambio
source-page = Página de origen
source-changed = Cambio en el origen
missing-pages = Páginas que faltan
extra-pages = Páginas de más

## Referencia de la API

api-docs-title = API
openapi-document = openapi.json
api-parameter = parámetro
api-in = en
api-type = tipo
api-required = obligatorio
api-json-body = Cuerpo JSON
api-field = campo
api-description = descripción
api-responses = respuestas
api-errors = Errores
api-errors-text = Todo error tiene la forma { $shape }: 401 sin credenciales, 403 si el rol no lo permite (o si falta el token CSRF en un cambio hecho con sesión), 404 para lo que no existe o no se puede ver, 409 si la versión enviada está desfasada y 422 con errores por campo cuando la entrada no es válida.

## Estados de las tareas

task-status-not-started = Sin empezar
task-status-not-required = No requerida
task-status-in-progress = En curso
task-status-complete = Completada
task-status-paused-customer-delay = En pausa: retraso del cliente
task-status-deferred-customer-extended-delay = Aplazada: retraso prolongado del cliente
task-status-warning = Advertencia
task-status-blocked-pending-remediation = Bloqueada: a la espera de corrección
task-status-blocked-technical-customer = Bloqueada: técnica, del cliente
task-status-blocked-business = Bloqueada: de negocio
task-status-blocked-other = Bloqueada: otro motivo
task-status-blocked-technical-ms = Bloqueada: técnica, de Microsoft
task-status-cancelled = Cancelada

## Estado general de un inquilino

overall-status-active = Activo
overall-status-blocked = Bloqueado
overall-status-paused = En pausa

## Prioridad

priority-high = Alta
priority-medium = Media
priority-low = Baja
priority-high-override = Alta (fijada a mano)
priority-medium-override = Media (fijada a mano)
priority-low-override = Baja (fijada a mano)

## Modalidades de entrada en el programa

motion-customer-health = Salud del cliente
motion-rfa = RFA
motion-targeting = Selección de objetivos

## Categorías de notas

note-category-engagement-management = Gestión del compromiso
note-category-technical-enablement = Habilitación técnica
note-category-service-intent = Intención de uso del servicio
note-category-environment = Entorno
note-category-enterprise-status = Estado Enterprise
note-category-migration = Migración

## Roles de asignación

assignment-role-rm = Responsable regional
assignment-role-fm = FastTrack Manager
assignment-role-fe = Ingeniero de FastTrack
assignment-role-psm = Responsable de asociados de FastTrack
assignment-role-sme = Experto en la materia
assignment-role-aam = Responsable de App Assure
assignment-role-g-rm = Responsable de RFA
assignment-role-g-tm = Responsable de selección de objetivos
assignment-role-fa = Arquitecto de FastTrack
assignment-role-fav2 = Arquitecto de FastTrack 2
assignment-role-gmfta = Arquitecto de FastTrack de Get Modern
assignment-role-mvm = Responsable de velocidad de migración
assignment-role-csm = Responsable del éxito del cliente
assignment-role-p-rm = Responsable regional del asociado
assignment-role-p-fm = FastTrack Manager del asociado
assignment-role-p-fe = Ingeniero de FastTrack del asociado

## Roles de usuario

user-role-admin = Administrador
user-role-manager = FastTrack Manager
user-role-engineer = Ingeniero de FastTrack
user-role-partner = Asociado
user-role-guest = Invitado

## Tipos de contacto

contact-kind-customer = Cliente
contact-kind-partner = Asociado
contact-kind-microsoft = Microsoft

## Estado de consumo (L1)

l1-status-unknown = Estado desconocido
l1-in-progress = En curso
l1-blocked = Bloqueado
l1-no-intent = Sin intención de uso
l1-duplicate-invalid = Duplicado o no válido

## Motivos (L2) y motivos técnicos (L3) de un estado de consumo (l2-CLAVE, l3-CLAVE: las claves de la taxonomía)

l2-customer-unresponsive = El cliente no responde
l2-new-subscription-or-workload = Nueva suscripción o carga de trabajo
l2-technical-onboarding-and-deployment = Incorporación técnica e implementación
l2-migration = Migración
l2-solution-or-user-adoption = Adopción de la solución o por los usuarios
l2-customer-it-infrastructure-remediation = Infraestructura de TI del cliente, corrección
l2-it-change-management-and-resourcing = Gestión de cambios de TI y recursos
l2-legal-regulatory = Legal o normativo
l2-security-privacy-non-product-feature = Seguridad o privacidad (ajeno al producto)
l2-adoption-readiness = Preparación para la adopción
l2-product-feature-capability = Producto o funcionalidad
l2-service-reliability = Fiabilidad del servicio
l2-app-compatibility = Compatibilidad de aplicaciones
l2-partner-engagement = Implicación del asociado
l2-billing-licensing-subscription = Facturación, licencias, suscripción
l2-using-competitive-solution = Usa una solución de la competencia
l2-using-microsoft-on-premises-solution = Usa una solución local de Microsoft
l2-executive-sponsorship = Patrocinio de la dirección
l3-desktop-devices = Equipos o dispositivos
l3-hardware = Hardware
l3-network = Red
l3-identity = Identidad
l3-other = Otro
l3-covid = COVID
l3-budget-agreed-but-not-available = Presupuesto aprobado pero aún no disponible
l3-it-staff-training-required = El personal de TI necesita formación
l3-updates-processes-or-infrastructure = Actualiza procesos o infraestructura
l3-legal = Legal
l3-security = Seguridad
l3-trust = Confianza
l3-partner-unresponsive = El asociado no responde
l3-addition-of-seats = Ampliación de puestos
l3-incorrect-sku = SKU incorrecta
l3-wrong-tenant = Inquilino equivocado
l3-commitment-to-on-premises-investment-or-third-party-hosting = Apuesta por la inversión local o el alojamiento de terceros
l3-customer-decision-to-maintain-control-over-service = El cliente decide conservar el control del servicio
l3-purchased-o365-licenses-but-using-on-premises-rights = Compró licencias de O365 pero usa los derechos locales
l3-purchased-as-part-of-a-larger-suite = Adquirido dentro de un paquete mayor
l3-no-bdm-sponsor-identified = Sin responsable de negocio ni patrocinador
l3-no-clear-business-drivers = Sin motivos de negocio claros

## Qué significa cada motivo (L2), en una frase: se muestra junto a las opciones y Sugerir aprende de ella (l2-about-KEY)

l2-about-customer-unresponsive = Nadie del cliente responde: llamadas, correos e invitaciones a reuniones quedan sin respuesta y ningún contacto contesta, así que nadie puede decir qué planea hacer con el servicio.
l2-about-new-subscription-or-workload = Licencias recién compradas o una carga de trabajo recién añadida cuyos planes nadie ha preguntado todavía; puestos nuevos que esperan una primera conversación para clasificarlos.
l2-about-technical-onboarding-and-deployment = El cliente está configurando el servicio: el inquilino, los dominios y la sincronización del directorio, un grupo piloto, la implementación de clientes y la activación de funciones, con una fecha de despliegue prevista.
l2-about-migration = Se están moviendo buzones, archivos, sitios u otro contenido desde un sistema antiguo u otra nube al servicio; hay lotes de migración programados o en curso.
l2-about-solution-or-user-adoption = El servicio está implementado y ahora el trabajo es que la gente lo use: formación, promotores, campañas de difusión, gestión del cambio, más usuarios activos cada mes.
l2-about-customer-it-infrastructure-remediation = Primero hay que arreglar la infraestructura del propio cliente: equipos o dispositivos antiguos, hardware, ancho de banda de la red, firewalls o proxies, problemas de identidad y de directorio.
l2-about-it-change-management-and-resourcing = Al cliente le faltan personas, presupuesto o tiempo: el personal de TI ocupado en otros proyectos, presupuesto acordado pero no liberado, personal que necesita formación, una congelación de cambios o procesos internos que actualizar.
l2-about-legal-regulatory = Leyes, reguladores o cláusulas del contrato impiden por ahora usar el servicio en la nube: los datos deben quedarse en el país, normativa del sector, la aprobación de una autoridad pendiente, obligaciones de cumplimiento.
l2-about-security-privacy-non-product-feature = La política de seguridad o de privacidad del cliente, o su desconfianza en la nube, frena el despliegue aunque el producto cumple lo necesario: una revisión de seguridad interna, la firma del delegado de protección de datos, dudas de confianza.
l2-about-adoption-readiness = La organización no está preparada para que su gente use el servicio: sin plan de comunicación ni de formación, usuarios que se resisten al cambio, áreas de negocio sin preparar, la planificación de la adopción sin empezar.
l2-about-product-feature-capability = Falta en el producto una función que el cliente necesita, o es limitada, o no se ofrece en su región o centro de datos, y el cliente la espera en la hoja de ruta.
l2-about-service-reliability = Caídas, incidentes, lentitud o un servicio inestable hacen que el cliente detenga el despliegue hasta que funcione de forma fiable.
l2-about-app-compatibility = Aplicaciones de negocio, complementos, macros o herramientas de terceros no funcionan con el servicio o con la nueva versión del cliente y hay que probarlas, corregirlas o sustituirlas antes.
l2-about-partner-engagement = El socio que hace el trabajo no responde, aún no está contratado o no tiene capacidad, y la implementación se detiene a la espera del socio.
l2-about-billing-licensing-subscription = Las licencias o la suscripción están mal: se compró la SKU equivocada, hay que añadir puestos, las licencias están en otro inquilino, problemas de facturación, licencias sin asignar.
l2-about-using-competitive-solution = El cliente usa o ha elegido el producto de un competidor de otro proveedor para correo, colaboración o almacenamiento y no piensa usar este servicio.
l2-about-using-microsoft-on-premises-solution = El cliente sigue usando la versión de servidor en su propio centro de datos o con una empresa de alojamiento y no piensa pasar al servicio en la nube.
l2-about-executive-sponsorship = Ningún responsable de negocio respalda el servicio: sin patrocinador ejecutivo, sin motivos de negocio claros, la dirección no lo prioriza, así que no hay plan para usarlo.
## Estados de las previsiones

forecast-status-met-early = Cumplida a tiempo
forecast-status-met-late = Cumplida con retraso
forecast-status-overdue = Vencida
forecast-status-on-track = Aún no vence
forecast-status-reached-before-forecast = Alcanzado antes de la previsión

## Tramos de uso activo

au-bucket-below-10 = Menos del 10 %
au-bucket-10-40 = Del 10 % al 40 %
au-bucket-40-plus = 40 % o más
au-bucket-none = Aún sin AU

## Periodos (filtro de la biblioteca)

note-window-all = Cualquier fecha
note-window-30 = Últimos 30 días
note-window-60 = Hace entre 30 y 60 días
note-window-90 = Hace entre 60 y 90 días

## Error pages

error-sign-in = Hace falta iniciar sesión
error-sign-in-text = Inicie sesión para abrir esta página.
error-forbidden = No permitido
error-forbidden-text = Su rol no permite hacer esto.
error-csrf-text = Se rechazó el formulario: no llevaba el token de seguridad de esta sesión. Vuelva atrás, recargue la página y envíelo de nuevo.
error-not-found-text = Aquí no hay nada, o no tiene permiso para verlo.
error-conflict = Cambiado en otro lugar
error-conflict-text = Otra persona lo cambió antes. Recargue la página y vuelva a hacer el cambio.
error-invalid = Revise los valores
error-invalid-text = Algunos valores no se pueden usar:
error-refused = No es posible
error-refused-text = Este cambio no se puede hacer:
error-bad-request = Solicitud ilegible
error-bad-request-text = No se pudo leer la solicitud. Vuelva atrás e inténtelo de nuevo desde la página.
error-unavailable = Inténtelo en un momento
error-unavailable-text = La base de datos no puede responder ahora. Espere un momento y vuelva a intentarlo (referencia { $reference }).
error-internal = Algo salió mal
error-internal-text = Algo falló de nuestro lado. Si lo comunica, indique la referencia { $reference }.

## Field errors (FieldError ids; crates/ftop-domain/src/error.rs). A quoted value is cut to 40 characters.

invalid-untranslated = { $text }
invalid-suggest-empty = está vacía, y Sugerir necesita una nota que leer
invalid-submitted-required = falta la fecha de envío (RFA); sin ella no se pueden guardar las fechas previstas
invalid-date-not-future = { $date } no es una fecha futura
invalid-target-10-required = falta la fecha objetivo para el 10 % de AU
invalid-target-max-required = falta la fecha objetivo para el AU máximo
invalid-after-submitted = tiene que ser posterior a la fecha de envío (RFA), { $date }
invalid-after-target-10 = tiene que ser posterior a la fecha objetivo del 10 % de AU ({ $date })
invalid-tenant-id = `{ $value }` no es un ID de inquilino: se espera un GUID con grupos hexadecimales 8-4-4-4-12, por ejemplo 0f8fad5b-d9cb-469f-a165-70867728950e
invalid-tenant-name = `{ $value }` no es un nombre de inquilino: se espera un nombre de dominio como contoso.onmicrosoft.com
invalid-reason-required = una fila «{ $status }» debe indicar el motivo: elija uno de { $choices }
invalid-reason-not-taken = las filas «{ $status }» no llevan motivo; borre `{ $value }` o pase los derechos a otro estado
invalid-reason-use-key = escriba el motivo con su clave `{ $key }` en lugar de `{ $value }`
invalid-reason-other-status = `{ $key }` es un motivo de las filas «{ $other }», no de «{ $status }»; elija uno de { $choices }
invalid-reason-unknown = `{ $value }` no es un motivo conocido para las filas «{ $status }»; elija uno de { $choices }
invalid-engineering-without-reason = indique un motivo (L2) antes del motivo técnico; `{ $value }` no tiene a cuál pertenecer
invalid-engineering-none = el motivo `{ $reason }` no tiene motivos técnicos; borre `{ $value }`
invalid-engineering-use-key = escriba el motivo técnico con su clave `{ $key }` en lugar de `{ $value }`
invalid-engineering-unknown = `{ $value }` no es un motivo técnico de `{ $reason }`; elija uno de { $choices }
invalid-rows-none = el servicio tiene { $total } derechos pero ninguna fila de estado; añada al menos una fila para que cada derecho tenga estado
invalid-rows-too-few = las filas suman { $sum } derechos pero el servicio tiene { $total }: dé un estado a los { $missing } que faltan
invalid-rows-too-many = las filas suman { $sum } derechos pero el servicio solo tiene { $total }: quite { $extra } de las filas
invalid-row-empty = una fila debe contener al menos un derecho; si no, elimínela
invalid-target-date-not-taken = solo las filas «En curso» y «Bloqueado» llevan fecha objetivo; bórrela en esta fila «{ $status }»
invalid-target-date-past = la fecha objetivo { $date } ya pasó; elija { $today } o una posterior
invalid-target-date-required = una fila «En curso» necesita la fecha objetivo en que los derechos estarán en uso
invalid-owner-not-taken = las filas «{ $status }» no tienen responsable; borre `{ $value }`
invalid-owner-blank = el responsable está en blanco; indique quién se encarga o déjelo sin definir
invalid-row-note-too-long = la nota tiene { $chars } caracteres, { $over } más del límite de { $max }; acórtela o pase el detalle a la Biblioteca de notas
invalid-rows-duplicate = rows[{ $first }] y rows[{ $second }] tienen el mismo estado ({ $status }); únalas en una fila de { $merged } derechos
invalid-service-unknown = `{ $value }` no es un servicio del catálogo
invalid-service-unknown-example = `{ $value }` no es un servicio del catálogo (por ejemplo Exchange, SharePoint, Teams, Intune)
invalid-qualified-range = tiene que estar entre 0 y el número de derechos ({ $total })
invalid-not-negative = tiene que ser cero o más
invalid-user-unknown = no hay ningún usuario llamado { $value }
invalid-service-not-entitled = el inquilino { $tenant } no tiene derechos de { $service }
invalid-contact-name = indique el nombre del contacto
invalid-email = `{ $value }` no es una dirección de correo
invalid-survey-customer-only = solo se puede encuestar a contactos del cliente
invalid-survey-engaged = un contacto encuestado debe participar en la incorporación
invalid-survey-email = un contacto encuestado necesita dirección de correo
invalid-survey-country = un contacto encuestado necesita un país
invalid-country-code = `{ $value }` no es un código de país: escriba las dos letras de ISO 3166 (DE, BR, US)
invalid-language-code = `{ $value }` no es un código de idioma: escriba las dos letras de ISO 639 (de, pt), opcionalmente con un país (pt-BR)
invalid-survey-language = elija el idioma de la encuesta
invalid-survey-services = indique al menos un servicio implantado o migrado
invalid-percent-range = el porcentaje completado va de 0 a 100
invalid-task-nothing = indique qué cambiar: estado, porcentaje o rol
invalid-task-not-applicable = la tarea { $task } no corresponde al inquilino { $tenant }
invalid-task-not-applicable-service = la tarea { $task } de { $service } no corresponde al inquilino { $tenant }
invalid-partner-name = indique el nombre de la organización asociada
invalid-user-name = use de 1 a 100 letras, cifras, puntos, guiones, guiones bajos o @
invalid-password-short = use al menos { $min } caracteres
invalid-password-has-name = no incluya su nombre de usuario en la contraseña
invalid-password-common = esta contraseña figura en una lista de contraseñas habituales; elija otra
invalid-password-guessable = esta contraseña es fácil de adivinar (una secuencia, una repetición o una fila del teclado); elija otra
invalid-partner-required = un usuario asociado pertenece a una organización asociada
invalid-partner-only = solo los usuarios asociados pertenecen a una organización asociada
invalid-user-exists = el usuario { $value } ya existe
invalid-note-body-empty = escriba la nota antes de guardarla
invalid-too-long = como máximo { $max } caracteres
invalid-choose-one = `{ $value }`: elija { $choices }
invalid-not-yes-no = `{ $value }` no es verdadero ni falso
invalid-token-days = indique de 1 a { $max } días
invalid-nul = contiene un carácter NUL (U+0000), que no está permitido
invalid-team-one-line = escriba cada equipo en su propia línea (un nombre sin saltos de línea)
invalid-too-long-starts = como máximo { $max } caracteres (este empieza por `{ $value }`)
invalid-too-many-bytes = como máximo { $max } bytes
invalid-too-many-rows = como máximo { $max } filas
invalid-too-many-items = como máximo { $max } elementos
invalid-service-not-of-tenant = `{ $value }` no es un servicio de este inquilino
invalid-task-unknown = { $value } no es un ID de tarea del manual
invalid-drafts-full = ya tiene { $max } borradores; guarde o elimine uno antes
invalid-customer-name = indique el nombre del cliente (200 caracteres como máximo)
invalid-service-twice = este servicio aparece dos veces
invalid-value = valor no válido
invalid-tenant-exists = el inquilino { $value } ya existe
invalid-tenant-name-taken = { $value } ya es el nombre del inquilino { $tenant }
invalid-tenant-name-taken-other = { $value } ya es el nombre de otro inquilino
invalid-tenant-name-in-file = { $value } también es el nombre del inquilino { $tenant } en este archivo
invalid-customer-required = indique el nombre del cliente
invalid-exception-reason-required = indique por qué el inquilino es apto por excepción (por ejemplo, el programa por el que llegó)
invalid-seats-number = `{ $value }` no es un número entero de puestos (0 o más)
invalid-seats-whole = `{ $value }` no es un número entero de puestos
invalid-count-whole = `{ $value }` no es un número entero de derechos
invalid-reload = vuelva a cargar la página e inténtelo de nuevo
invalid-draft-action = use uno de los botones del borrador
invalid-import-conflict = el inquilino { $tenant } tiene otro nombre o cliente en la línea { $line }
invalid-import-service-twice = { $service } aparece dos veces para el inquilino { $tenant }
invalid-minutes-none = indique al menos un minuto
invalid-minutes-day = como máximo 24 horas en una entrada
invalid-time-future = no se puede registrar tiempo en un día que aún no ha llegado
invalid-task-not-for-tenant = la tarea { $task } no corresponde a este inquilino
invalid-date = `{ $value }` no es una fecha: escriba AAAA-MM-DD
invalid-more-rows-refused = { $count } filas rechazadas más
invalid-limit = un número de 1 a { $max }
invalid-unreadable = no se puede leer: { $why }
invalid-confirm-removal = marque la casilla para confirmar la retirada
invalid-language = `{ $value }` no es un idioma de ftop: { $choices }
invalid-note-category = `{ $value }` no es una categoría de nota
invalid-draft-version = envíe la versión del borrador que leyó
invalid-window = `{ $value }` no es un periodo: all, 30, 60 o 90
invalid-task-id = `{ $value }` no es un ID de tarea válido
invalid-draft-not-found = no se encontró
invalid-bucket = elija below-10, 10-40, 40-plus o undefined
invalid-reached = elija 10 o 40
invalid-forecast-filter = escriba HITO:ESTADO, p. ej. 10:overdue (estados: met-early, met-late, overdue, on-track, reached-before-forecast)
invalid-date-short = `{ $value }` no es una fecha (AAAA-MM-DD)
invalid-task-status = `{ $value }` no es un estado de tarea
invalid-body = no se puede leer el cuerpo: { $why }
invalid-note-tenant = indique el inquilino de la nota
invalid-choose-tenant = elija un inquilino
invalid-tenant-not-visible = no hay ningún inquilino `{ $value }` que usted pueda ver
invalid-partner-id = `{ $value }` no es el ID de una organización asociada
invalid-user-id = `{ $value }` no es el ID de un usuario
invalid-rows-limit = `{ $value }`: de 1 a 1000 filas
invalid-rows-offset = `{ $value }`: un número de filas que saltar
invalid-choose-status = elija un estado
invalid-percent-whole = el porcentaje completado es un número entero de 0 a 100
invalid-choice = `{ $value }` no es uno de los valores permitidos
invalid-contact-kind = `{ $value }` no es un tipo de contacto
invalid-csv = CSV ilegible: { $why }

## Field names as forms show them (field-NAME for a field `name`, `_` written `-`)

field-line = Línea { $line }
field-tenant-id = ID del inquilino
field-start-date = Fecha de inicio de la participación
field-teams = Equipos de entrega
field-scenario = Escenario de participación
field-tenant-name = Nombre del inquilino
field-tenant = Inquilino
field-customer = Cliente
field-service = Servicio
field-services = Servicios
field-entitlements = Derechos
field-qualified-entitlements = Puestos aptos
field-submitted = Envío (RFA)
field-target-10 = Objetivo del 10 % de AU
field-target-40 = Objetivo del 40 % de AU
field-target-max = Objetivo de AU máximo
field-rows = Filas de estado
field-row = Fila
field-count = Derechos de la fila
field-l2 = Motivo (L2)
field-l3 = Motivo técnico (L3)
field-target-date = Fecha objetivo
field-owner = Responsable
field-note = Nota
field-body = Texto
field-next-action = Siguiente acción
field-next-action-date = Fecha de la siguiente acción
field-user = Usuario
field-name = Nombre
field-email = Correo electrónico
field-survey-eligible = Encuestado
field-engaged = Implicado
field-country = País
field-survey-language = Idioma de la encuesta
field-percent = Porcentaje completado
field-status = Estado
field-overall-status = Estado general
field-priority = Prioridad
field-motion = Modalidad
field-kind = Tipo
field-task-id = Tarea
field-partner = Asociado
field-manager = Gerente
field-password = Contraseña
field-state = Estado del borrador
field-status-note = Nota de estado
field-minutes = Minutos
field-work-date = Fecha del trabajo
field-file = Archivo
field-limit = Límite
field-offset = Desplazamiento
field-lang = Idioma
field-category = Categoría
field-version = Versión
field-window = Periodo
field-draft = Borrador
field-bucket = Tramo de AU
field-reached = Hito alcanzado
field-forecast = Previsión
field-from = Desde
field-to = Hasta
field-role = Rol
field-escalated = Escalada
field-qualified = Puestos aptos
field-status-date = Fecha del estado
field-active = Activo
field-program-exception = Excepción al programa
field-exception-reason = Motivo de la excepción
field-phase = Fase
field-period = Período
field-enterprise-exception = Excepción empresarial
field-adoption-benefit = Ventaja adicional de adopción
field-primary = Principal
field-desires-assistance = Quiere ayuda del asociado
field-effective = Vigente desde
field-user-id = ID de usuario
field-action = Acción
field-l1 = Estado de consumo (L1)

## observability

error-request-id = ID de la solicitud: { $id }

## account and sessions

signin-busy = Hay demasiadas personas iniciando sesión ahora mismo. Espere un segundo y vuelva a intentarlo.
signin-wait = Demasiados intentos fallidos para este nombre o desde esta dirección. Espere un poco y vuelva a intentarlo; cada nuevo fallo alarga la espera, hasta 15 minutos.
sso-button = Iniciar sesión con { $provider }
sso-or-password = O inicie sesión con una cuenta local:
sso-break-glass = Inicio de sesión local (solo el administrador de emergencia)
sso-failed = El inicio de sesión único no se completó. Vuelva a intentarlo; si sigue fallando, avise a su administrador.
sso-unavailable = No se puede contactar ahora con el proveedor de identidad. Vuelva a intentarlo en un minuto.
sso-only = Use el botón de inicio de sesión único de arriba: el formulario de contraseña es solo para el administrador de emergencia, y lo introducido no ha iniciado la sesión.
sso-no-account = El proveedor conoce su identidad, pero no tiene una cuenta en ftop. Pida a un administrador que le dé de alta.
sso-inactive = Su cuenta de ftop está desactivada. Pida a un administrador que la reactive.
sso-other-identity = Esta cuenta de ftop está vinculada a otra identidad del proveedor. Consulte a un administrador.
sso-no-role = Sus grupos en el proveedor no otorgan ningún rol de ftop (ni una organización asociada que ftop conozca). Consulte a un administrador.
account-sessions = Sus sesiones
account-sessions-intro = Cada navegador en el que tiene la sesión iniciada. Cierre las que no reconozca; una sesión también termina tras 2 horas sin uso o 12 horas después de iniciarla.
account-session-created = Inicio
account-session-seen = Último uso
account-session-address = Dirección
account-session-current = (este navegador)
account-session-end = Cerrar sesión
account-session-end-confirm = ¿Cerrar esta sesión? El navegador que la usa tendrá que iniciar sesión de nuevo.
account-session-keep = Mantenerla
invalid-whole-number = `{ $value }` no es un número entero entre { $min } y { $max }
invalid-empty-parameter = indique un valor sin espacios alrededor u omita el parámetro

## People: users and partner organisations (administrators and partner admins)
people-users = Usuarios
people-partners = Organizaciones asociadas
people-count = { $count ->
    [one] Un usuario
   *[other] { $count } usuarios
}
people-add-user = Añadir un usuario
people-add-partner = Añadir una organización
people-no-partner = (ninguna)
people-deactivated = Desactivado
people-created = Creado
people-new-password = Contraseña nueva
people-password-keep = Déjela vacía para conservar la contraseña actual.
people-password-rule = Una contraseña tiene al menos 12 caracteres, no es de las comunes ni fáciles de adivinar y no contiene el nombre de usuario.
people-deactivate-confirm = ¿Desactivar a { $name }? Se cierran a la vez todas sus sesiones y sus tokens de API dejan de funcionar. Puede reactivar la cuenta más adelante; los tokens no vuelven.
people-deactivate-yes = Sí, desactivar a este usuario
people-rename = Nombre de { $name }
people-rename-button = Cambiar nombre
people-done-created = Se añadió el usuario.
people-done-saved = Guardado.
partners-none-to-add = Todas las organizaciones asociadas están en este inquilino. Los administradores añaden organizaciones en Organizaciones asociadas.
people-done-partner = Se guardó la organización.
field-partner-admin = Administrador del socio
field-current = Contraseña actual
field-label = Etiqueta
field-days = Días
invalid-user-role = `{ $value }` no es un rol
invalid-partner-admin-only = solo los usuarios de un socio pueden administrar su organización
invalid-partner-unknown = no hay ninguna organización asociada llamada { $value }; añádala primero
invalid-partner-exists = ya existe una organización llamada { $value }
invalid-user-self-role = no puede cambiar su propio rol ni su organización; pídaselo a otro administrador
invalid-user-self-active = no puede desactivar su propia cuenta
invalid-password-current = esta no es su contraseña actual
field-confirm = Confirmación
field-exclude = Excluidas
field-assignments = Asignaciones
invalid-assignment-role = `{ $value }` no es un rol de asignación
invalid-assignment-user-role = { $value } no puede tener el rol { $role }: los roles de FastTrack son para el personal de FastTrack y los roles de socio para los usuarios de una organización asociada de este inquilino
invalid-assignment-twice = { $value } aparece dos veces en el mismo rol y nivel
invalid-assignment-primary-twice = marque un solo principal para { $role } { $service ->
    [none] en todo el inquilino
   *[other] en { $service }
}, no dos
assignments = Asignaciones
assignment-level = Nivel
assignment-whole-tenant = Todo el inquilino
assignment-make-primary = Hacer principal
assignment-confirm-remove = Sí, quitar
assignment-remove = Quitar
assignment-none = Todavía no hay nadie asignado a este inquilino.
assignment-add = Asignar a alguien
invalid-assignment-action = elija qué cambiar
reassign = Reasignar
reassign-intro = Pase todas las asignaciones de una persona a otra, por ejemplo cuando alguien deja el equipo. Desmarque las filas que deben quedarse; nada se mueve antes de confirmar.
reassign-from = De
reassign-to = A
reassign-preview = Vista previa
reassign-counts = { $selected } seleccionadas, { $deselected } sin seleccionar
reassign-move = Mover
reassign-move-row = Mover la asignación en { $tenant }
reassign-nothing = Esta persona no tiene asignaciones.
reassign-recount = Volver a contar
reassign-no-undo = No se puede deshacer: las asignaciones seleccionadas se mueven a la vez, todas juntas. El historial de cada inquilino registra el cambio.
reassign-confirm = Lo entiendo; moverlas
reassign-apply = { $count ->
    [one] Mover una asignación
   *[other] Mover { $count } asignaciones
}
reassign-done = { $count ->
    [one] Se movió una asignación.
   *[other] Se movieron { $count } asignaciones.
}
invalid-reassign-confirm = marque antes la confirmación: no se puede deshacer
invalid-reassign-same = elija a otra persona para sustituirla
invalid-reassign-role = { $value } no puede tener el rol { $role } en { $tenant }
tenant-new = Nuevo inquilino
tenant-new-services = Servicios y licencias
tenant-new-hint = Indique las licencias de cada servicio que tiene el inquilino y deje vacíos los demás; las licencias calificadas son por defecto las mismas.
tenant-new-name-example = contoso.onmicrosoft.com
tenant-new-create = Crear el inquilino
invalid-import-column-twice = la cabecera nombra dos veces la columna `{ $column }` (columnas { $first } y { $second }); deje una
invalid-import-column-missing = la cabecera no tiene la columna `{ $column }` (se esperaba { $expected })
invalid-import-too-many-rows = más de { $max } filas; divida el archivo
tenant-import = Importar inquilinos
tenant-import-intro = Suba un archivo CSV con una fila por inquilino y servicio y esta cabecera (las demás columnas se ignoran; las licencias calificadas son por defecto las licencias). El archivo se importa entero o nada, y volver a subirlo no cambia nada.
tenant-import-button = Importar
tenant-import-busy = Subiendo e importando
tenant-import-refused = No se importó nada. Corrija estas líneas y vuelva a subir el archivo:
tenant-import-done = { $rows } filas: { $created } inquilinos creados, { $updated } modificados, { $services } servicios añadidos o cambiados, { $unchanged } sin cambios.
invalid-file-missing = elija un archivo para subir
invalid-user-self-password = cambie su propia contraseña en su cuenta, con la actual
invalid-user-inactive = { $value } está desactivado
invalid-import-not-yours = el inquilino { $tenant } ya existe y usted no está asignado a él: pida el cambio a uno de sus responsables o a un administrador
invalid-token-label = indique para qué es el token

## Your account: password and API tokens
account = Su cuenta
account-password = Contraseña
account-password-current = Contraseña actual
account-password-change = Cambiar la contraseña
account-password-sessions = Al cambiarla se cierran sus sesiones en los demás navegadores.
account-password-changed = Se cambió su contraseña. Se cerraron las sesiones de los demás navegadores.
account-tokens = Tokens de API
account-tokens-intro = Los tokens permiten que los scripts usen la API en su nombre (Authorization: Bearer TOKEN). Revoque los que ya no use.
account-token-label = Etiqueta
account-token-expires = Caduca
account-token-expired = caducado
account-token-never = nunca
account-token-new = Token nuevo
account-token-days = Válido durante (días)
account-token-create = Crear el token
account-token-shown-once = Su token nuevo está abajo. Cópielo ahora: solo se muestra esta vez.
account-token-revoke = Revocar
account-token-revoke-confirm = ¿Revocar el token «{ $label }»? Los scripts que lo usan dejan de funcionar de inmediato.
account-token-revoked = Se revocó el token.
account-token-keep = Conservarlo

## Edición de un inquilino y su excepción de elegibilidad

tenant-edit = Editar inquilino
tenant-edit-hint = Cambie los derechos de un servicio o añada un servicio rellenando su fila. Aquí no se eliminan servicios: su historial se conserva.
cancel = Cancelar
exception = Excepción de elegibilidad
exception-grant = Apto por excepción (por debajo del mínimo de puestos del programa)
exception-reason = Motivo de la excepción
field-reason = Motivo
people-sso = Inicio de sesión único
people-sso-linked = vinculada a una identidad del proveedor
people-sso-unlinked = sin vincular (el próximo inicio de sesión a través del proveedor la vincula, por correo electrónico)
people-sso-unlink = Desvincular de la identidad del proveedor (cuando su cuenta allí fue sustituida)
invalid-sso-link = una cuenta se vincula a la identidad del proveedor iniciando sesión a través de él, no aquí
field-sso-linked = Inicio de sesión único

## Tenant grid: displays, priority, column filters, tripwires
grid-display = Vista
grid-display-scorecard = Cuadro de adopción
grid-display-overview = Resumen
grid-display-assignments = Asignaciones
grid-group-customer = Agrupar por cliente
grid-days = Días en el programa
grid-status-date = Fecha del último estado
grid-au-of = AU de { $service }
grid-next-action-date = Fecha de la próxima acción
grid-next-action-owner = Responsable de la próxima acción
grid-fastrack-managers = FastTrack Managers
grid-fastrack-engineers = Ingenieros de FastTrack
grid-partner-people = Responsables del socio
grid-column-filters = Filtros por columna
grid-filter-number-n = Filtro { $n }:
grid-filter-column-label = Columna
grid-filter-op-label = Condición
grid-filter-value-label = Valor
grid-filter-hint = Columnas de texto: contiene, no contiene, empieza por, es igual a. Números y fechas: las comparaciones. AU en porcentaje (12,5); fechas como AAAA-MM-DD.
grid-op-contains = contiene
grid-op-not-contains = no contiene
grid-op-starts = empieza por
grid-op-equals = es igual a
grid-op-eq = es igual a (=)
grid-op-ne = es distinto de (≠)
grid-op-lt = es menor que / anterior a (<)
grid-op-le = es como máximo / hasta (≤)
grid-op-gt = es mayor que / posterior a (>)
grid-op-ge = es como mínimo / desde (≥)
grid-filter-empty = Escriba un valor con el que comparar.
grid-filter-long = El valor es demasiado largo.
grid-filter-op = Esta condición no corresponde a la columna: el texto admite contiene, no contiene, empieza por o es igual a; los números y las fechas, las comparaciones.
grid-filter-number = Escriba un número (AU en porcentaje, p. ej. 12,5; días y puestos como números enteros).
grid-filter-date = Escriba una fecha como AAAA-MM-DD.
grid-filter-column = Elija una columna de la lista.
grid-filter-refused = No se pudo aplicar un filtro por columna; la lista lo omite hasta que se corrija (vea el mensaje a su lado).
tripwire-au-gain = AU sube
tripwire-au-gain-title = El uso activo de un servicio subió de forma notable en los últimos 30 días.
tripwire-au-drop = AU baja
tripwire-au-drop-title = El uso activo de un servicio bajó de forma notable en los últimos 30 días.
tripwire-more-seats = más puestos
tripwire-more-seats-title = El inquilino sumó puestos calificados en los últimos 30 días.
priority-all = Todas
priority-filter-high = Alta y Alta (fijada a mano)
priority-filter-medium = Media y Media (fijada a mano)
priority-filter-low = Baja
priority-filter-low-override = Baja (fijada a mano)
priority-set-of = Fijar la prioridad de { $tenant }
priority-default = Volver a la predeterminada
priority-set = Fijar
priority-saved = Prioridad guardada.
customer-seats = Puestos, todos los inquilinos
customer-adoption = Uso activo en todos sus inquilinos
customer-no-usage = Aún no hay cifras de uso para estos inquilinos.
customer-bucket = Tramo de hito
customer-more-tenants = Se muestran { $shown } de { $total } inquilinos.
## Data migration
invalid-migration-end-before-start = el final deseado ({ $end }) es anterior al inicio deseado ({ $start })
invalid-migration-type-service = { $value } no lleva datos a { $service }
invalid-migration-size = como máximo { $max } GB
invalid-migration-only-declined = indique un motivo solo cuando Microsoft no realiza la migración
invalid-migration-only-performing = solo cuando Microsoft realiza la migración; bórrelo o indique que Microsoft la realiza
invalid-migration-reason-needed = elija por qué Microsoft no realiza la migración
invalid-migration-types-none = añada al menos una fila de tipo de migración (hay { $due } derechos En curso y Bloqueados por repartir)
invalid-migration-nothing-due = ninguno de los derechos del servicio está aún En curso o Bloqueado: registre primero sus filas de estado y después la migración
invalid-migration-types-sum = las filas suman { $sum } derechos; deben sumar exactamente { $due }, los derechos En curso y Bloqueados del servicio
invalid-migration-not-eligible = { $service } no tiene decisión de migración de datos: solo la tienen Exchange, SharePoint y OneDrive de un inquilino con más de { $seats } puestos
invalid-migration-performing-choose = indique si Microsoft realiza la migración
invalid-migration-size-whole = `{ $value }` no es un número entero de gigabytes
migration = Migración de datos
migration-performing = ¿Realiza Microsoft la migración?
migration-desired-start = Inicio deseado
migration-desired-end = Final deseado
migration-dates-hint = Las fechas que desea el cliente. Son solo orientativas: nadie se compromete a cumplirlas.
migration-rows-hint = Cuando Microsoft la realiza, indique cómo se trasladan los datos. Las filas deben sumar exactamente { $due } derechos, los En curso y Bloqueados del servicio.
migration-types = Tipos de migración
migration-type = Tipo
migration-estimated = Fecha prevista de migración
migration-size = Volumen de datos (GB)
migration-row-status = Estado (lo indica el experto en migración)
migration-add-row = Añadir una fila
migration-declined = Cuando Microsoft no la realiza
migration-rejection-reason = Motivo
migration-notes = Notas
save-migration = Guardar la migración de datos
migration-undecided = Todavía no se ha registrado ninguna decisión.
migration-rows-out-of-step = Las filas suman { $sum } derechos, pero el servicio tiene ahora { $due } En curso y Bloqueados: actualice las filas.
migration-prerequisites = Tareas que deben completarse antes de migrar
migration-prerequisite-missing = no figura en el manual de este inquilino
migration-type-mig-exhybrid = Exchange híbrido (Mig-ExHybrid)
migration-type-mig-exstaged = Exchange por fases (Mig-ExStaged)
migration-type-mig-excutover = Exchange de una vez (Mig-ExCutover)
migration-type-mig-imap = Buzones IMAP (Mig-IMAP)
migration-type-mig-gmailstaged = Gmail por fases (Mig-GmailStaged)
migration-type-mig-fileshare = Recursos compartidos de archivos (Mig-FileShare)
migration-type-mig-sharepoint = SharePoint Server (Mig-SharePoint)
migration-type-mig-box = Box (Mig-Box)
migration-type-mig-googledrive = Google Drive (Mig-GoogleDrive)
migration-type-mig-dropbox = Dropbox (Mig-Dropbox)
migration-status-not-started = Sin empezar
migration-status-in-progress = En curso
migration-status-blocked = Bloqueada
migration-status-complete = Terminada
migration-rejection-customer-self-migrates = El cliente migrará por su cuenta
migration-rejection-partner-migrates = Un socio está migrando los datos
migration-rejection-no-data = No hay datos que migrar
migration-rejection-customer-declined = El cliente rechazó la ventaja
migration-rejection-other = Otro motivo (véanse las notas)
history-kind-migration = Migración de datos
history-thing-migration = Migración de datos de { $service }
date-day = { $day }/{ $month }/{ $year }
field-performing = Microsoft realiza la migración
field-desired-start = Inicio deseado de la migración
field-desired-end = Final deseado de la migración
field-rejection-reason = Motivo por el que Microsoft no migra
field-notes = Notas
field-types = Tipos de migración
field-migration-type = Tipo
field-estimated-date = Fecha prevista de migración
field-data-size-gb = Volumen de datos (GB)
## Enterprise status

enterprise-status = Estado empresarial
enterprise-none = Todavía no se ha registrado ningún estado empresarial para este inquilino.
enterprise-updated = Registrado el { $when } por { $who }
enterprise-overdue = Actualización atrasada: la próxima actualización vencía el { $date }.
enterprise-earlier = Entradas anteriores ({ $count })
enterprise-add = Añadir un estado empresarial
enterprise-required-note = Los campos marcados con * son obligatorios.
enterprise-save = Guardar el estado empresarial
enterprise-writers-only = Las entradas del estado empresarial las añaden los administradores FastTrack, los administradores del sistema y los arquitectos o administradores FastTrack asignados a este inquilino.
enterprise-reasons = Motivos
enterprise-rag = Estado (rojo, ámbar, verde)
enterprise-summary = Resumen ejecutivo
enterprise-summary-help = Qué impide que esta participación esté en verde: el tema, una breve descripción, su impacto y las medidas adoptadas.
enterprise-overview = Estado de la implementación: visión general actual
enterprise-activities = Actividades actuales de FastTrack
enterprise-risks = Riesgos
enterprise-brand = Nombre público o de marca
enterprise-awareness = Quién está al tanto
enterprise-next-update = Próxima actualización
enterprise-reason-it-maturity = Madurez de TI
enterprise-reason-over-50k-seats = Más de 50 000 puestos
enterprise-reason-executive-relationship = Relación con la dirección
enterprise-reason-reactive = Reactivo
enterprise-reason-major-brand = Marca destacada
enterprise-reason-new-feature-experiment = Nueva funcionalidad o experimento
rag-red = Rojo
rag-amber = Ámbar
rag-green = Verde
rag-about-red = la incorporación no está en marcha por ahora
rag-about-amber = en marcha, pero bloqueada o mucho más lenta de lo previsto
rag-about-green = avanza al ritmo previsto
history-kind-enterprise-status = Estado empresarial
history-thing-enterprise-status = Entrada { $id } del estado empresarial
invalid-enterprise-required = es obligatorio: rellénelo
invalid-enterprise-reasons-required = elija al menos un motivo
invalid-enterprise-next-update-past = el { $date } ya ha pasado; elija el { $today } o una fecha posterior
field-reasons = Motivos
field-rag = Estado (rojo, ámbar, verde)
field-summary = Resumen ejecutivo
field-overview = Estado de la implementación: visión general actual
field-activities = Actividades actuales de FastTrack
field-risks = Riesgos
field-brand = Nombre público o de marca
field-awareness = Quién está al tanto
field-next-update = Próxima actualización

## Predicted gain
grid-gain = Aumento de AU previsto a 6 meses
grid-gain-title = Cuántos puntos porcentuales de uso activo se espera que sume en seis meses el servicio del inquilino que más crece, según la tendencia de sus cifras de los últimos seis meses (negativo: un descenso).
grid-prioritised = Cartera priorizada
grid-prioritised-title = Primero, los inquilinos de los que se espera el mayor aumento de uso activo en los próximos seis meses.
## Reports
reports = Informes
reports-intro = Cada informe lee las cifras de adopción y los registros de los inquilinos con los mismos filtros, se descarga como CSV y cada número enlaza con los inquilinos que lo forman.
report-filters = Filtros del informe
report-any = (todos)
report-partner = Organización asociada
report-manager = FastTrack Manager
report-team = Equipo de entrega
report-overall-status = Estado general
report-scenario = Escenario de participación
report-service-status = Estado del servicio
report-none = No hay nada que mostrar con estos filtros.
report-rows = Inquilinos detrás de las cifras
report-rows-cut = Se muestran las primeras { $shown } de { $total } filas; la descarga CSV las contiene todas.
report-total = Total
report-fix = Qué hacer
report-milestones = Rendimiento por hito de uso
report-milestones-about = Servicios con una cifra de uso por tramo de uso activo, y cuántos usuarios activos más necesita cada uno para llegar al 10 % y al 40 %.
report-by-bucket-chart = Servicios por tramo de uso activo
report-by-bucket-of = { $service }: servicios por tramo de uso activo
report-col-as-of = Fecha de la cifra
report-col-active-users = Usuarios activos
report-col-qualified = Licencias válidas
report-col-au = Uso activo
report-col-needed-10 = Usuarios que faltan para el 10 %
report-col-needed-40 = Usuarios que faltan para el 40 %
report-stale = Notas de estado general sin actualizar
report-stale-about = Inquilinos activos cuya nota de estado general tiene más de 14 días o nunca se escribió. Escriba la nota quincenal en la pestaña Estado del inquilino.
report-stale-mine = Asignados a mí
report-stale-all = Todos los inquilinos que puedo ver
report-stale-fix = Actualizar el estado
report-col-last-note = Última nota de estado
report-col-days = Días desde entonces
report-never = nunca
report-compliance = Cumplimiento
report-compliance-about = Trabajo dirigido por socios cuyos registros impedirían que el socio reciba el reconocimiento o el pago.
report-rm-not-partner = El administrador regional no es el socio
report-rm-not-partner-about = Inquilinos compartidos con un socio, con un servicio que el socio dirige o apoya, cuyo administrador regional principal del inquilino no es un usuario del socio. El socio debe añadirse como administrador regional principal del inquilino.
report-col-rm = Administrador regional principal del inquilino
report-rm-fix = Abrir las asignaciones
report-scenario-not-partner-led = El escenario de participación no es dirigido por el socio
report-scenario-not-partner-led-about = Servicios de inquilinos compartidos con un socio cuyo escenario no es FTC-FTP Led ni Customer-Led with FTP Assist: su crecimiento no genera pago. Ajuste el escenario en la pestaña Servicios cuando el socio preste el servicio.
report-scenario-fix = Abrir la pestaña Servicios
report-forecast = Previsión del { $milestone } %
report-forecast-about = Fechas previstas del hito por mes. Una fecha ya pasada con el uso activo aún por debajo del hito se marca en rojo; una fecha aún por llegar cuyo hito ya se alcanzó se marca en verde; una fecha de hoy vence hoy.
report-forecast-chart = Fechas previstas por mes
report-col-month = Mes
report-col-forecasts = Fechas previstas
report-col-overdue = Pasadas, aún por debajo
report-col-due-today = Vencen hoy
report-col-reached-early = Por llegar, ya alcanzadas
report-col-target = Fecha prevista
report-col-reached = Alcanzado el
report-col-status = Estado
report-col-flag = Marca
report-flag-below = aún por debajo del hito
report-flag-reached = ya alcanzado
report-not-reached = todavía no
report-past = Fechas ya pasadas
report-future = Fechas por llegar
report-month-shown = Solo se muestran las fechas de { $month }.
report-all-months = Mostrar todos los meses
report-new-subscriptions = Suscripciones nuevas
report-new-subscriptions-about = Derechos aún marcados como «Estado desconocido» por ser una suscripción o carga de trabajo nueva. Asigne a cada uno su estado de consumo en la pestaña Servicios del inquilino.
report-by-service = Por servicio
report-col-rows = Filas de estado
report-col-entitlements = Derechos
report-classify = Clasificar
report-data-health = Calidad de los datos
report-data-health-about = Registros de servicios que impiden que los demás informes sean correctos, cada uno con la corrección que hay que aplicar.
report-health-days = Un servicio con licencias válidas aparece cuando su última cifra de uso tiene más de { $days } días o no existe.
report-col-check = Comprobación
report-health-no-recent-usage = Sin cifra de uso reciente
report-health-qualified-above-entitled = Más licencias válidas que derechos
report-health-in-progress-without-target = En curso sin fecha objetivo
report-health-fix-usage = Revise la fuente de datos de uso de este inquilino y servicio
report-health-fix-seats = Corrija las licencias en la pestaña Servicios
report-health-fix-target = Fije una fecha objetivo en la pestaña Servicios
report-conversion = Tasa de conversión
report-conversion-about = Entre los servicios con un uso activo definido (una cifra de uso y licencias válidas), cuántos están en el 10 % o más y en el 40 % o más según su última cifra; el 10 % exacto cuenta.
report-col-capped-au = Uso activo, con tope del 100 %
report-col-with-au = Con uso activo
report-col-at-10 = Con el 10 % o más
report-col-at-40 = Con el 40 % o más
report-col-rate-10 = Proporción con el 10 % o más
report-col-rate-40 = Proporción con el 40 % o más

## Work queue and digests

queue-title = Pendiente para mí
queue-empty = No hay nada pendiente en sus inquilinos.
queue-due = Vence
queue-kind = Qué
queue-about = Detalles
queue-upcoming = próximo
queue-shown = Se muestran los { $shown } elementos más urgentes de { $total }.
queue-forecast-detail = { $service }: fecha prevista del { $percent } %
queue-kind-next-action = Próxima acción
queue-kind-forecast-missed = Fecha prevista incumplida
queue-kind-stale-status = Estado general por actualizar
queue-kind-blocked-task = Tarea bloqueada
queue-kind-au-drop = Bajó el uso activo
queue-kind-new-subscription = Nueva suscripción por clasificar
digest-settings = Resumen por correo electrónico
digest-settings-intro = Un resumen de lo que requiere su atención y de los hitos que alcanzaron sus inquilinos, enviado a las 08:00 en su zona horaria.
digest-frequency = Frecuencia
digest-frequency-weekly = Semanal, los lunes
digest-frequency-daily = Diario
digest-frequency-none = Nunca
digest-time-zone = Zona horaria
digest-save = Guardar la configuración del resumen
digest-saved = Configuración del resumen guardada.
field-time-zone = Zona horaria
invalid-time-zone = `{ $value }` no es una zona horaria conocida: indique su nombre IANA, por ejemplo Europe/Madrid
digest-subject-weekly =
    { $count ->
        [0] Su semana en ftop: nada requiere su atención
        [one] Su semana en ftop: { $count } elemento requiere su atención
       *[other] Su semana en ftop: { $count } elementos requieren su atención
    }
digest-subject-daily =
    { $count ->
        [0] Su día en ftop: nada requiere su atención
        [one] Su día en ftop: { $count } elemento requiere su atención
       *[other] Su día en ftop: { $count } elementos requieren su atención
    }
digest-greeting = Hola, { $name }:
digest-milestones = Hitos alcanzados
digest-milestones-none = Ningún servicio de sus inquilinos alcanzó un hito en este periodo.
digest-milestone = { $tenant }: { $service } alcanzó un { $percent } % de uso activo el { $date }
digest-footer = Recibe este correo por su configuración del resumen; puede cambiarla en { $link }.
digest-unsubscribe = Dejar de recibir estos correos
unsubscribe-title = Dejar de recibir los resúmenes por correo
unsubscribe-confirm = ¿Dejar de enviar los resúmenes por correo a esta cuenta? Puede volver a activarlos desde la página de su cuenta.
unsubscribe-button = Dejar de recibir los resúmenes
unsubscribe-done = Hecho: esta cuenta ya no recibirá resúmenes.
unsubscribe-invalid = Este enlace no es válido (quizá se copió incompleto).

## Usage reports: performance overview, service usage, usage trend
report-performance = Resumen de rendimiento
report-performance-about = La adopción según las últimas cifras de uso, atribuida por escenario de participación al responsable principal del servicio: el partner cuando este dirige o asiste, FastTrack en los demás casos; después, el crecimiento de los usuarios activos desde el inicio del año y la evolución mensual de las licencias cualificadas, los usuarios activos y el uso activo.
report-credit = Adopción por escenario de participación
report-credit-about = Un servicio se atribuye a su partner cuando su escenario es FTC-FTP Led o Customer-Led with FTP Assist, y a FastTrack con cualquier otro escenario.
report-credit-by-party = Adopción según a quién se atribuye
report-credit-partner = Partner
report-credit-fasttrack = FastTrack
report-col-credited-to = Atribuido a
report-col-share = Parte de los usuarios activos
report-ytd-growth = Crecimiento de los usuarios activos en { $year }
report-col-growth = Crecimiento desde el inicio del año
report-col-chart = Gráfico
report-qe-au-trend = Licencias cualificadas, usuarios activos y uso activo por mes
report-service-usage = Uso por servicio
report-service-usage-about = Para cada servicio, los clientes y servicios con una cifra de uso, sus licencias cualificadas y usuarios activos, el uso activo sin límite y limitado al 100 % en cada servicio, y los servicios de cada tramo, según las últimas cifras o al final del mes elegido.
report-as-of-latest = Calculado con la última cifra de uso de cada servicio.
report-as-of-month = Calculado con la última cifra de uso de cada servicio en { $month }.
report-month-filter = Mes (vacío: últimas cifras)
report-col-tenants = Clientes
report-col-services = Servicios con uso
report-usage-trend = Evolución del uso
report-usage-trend-about = Por mes, con la última cifra de uso de cada servicio en ese mes: usuarios activos, licencias cualificadas, uso activo sin límite y limitado al 100 % en cada servicio, y la tasa de conversión, es decir, la parte de los servicios con licencias cualificadas que alcanzan el 10 % y el 40 %.
report-usage-trend-charts = Uso activo por mes
report-trend-chart-desc = Una línea a lo largo de los meses, con los hitos del 10 % y del 40 % trazados de lado a lado; las cifras están en la tabla de abajo.
report-conversion-trend = Tasa de conversión por mes
report-by-month = Por mes
