//! UI text in English, Spanish and Simplified Chinese. The language comes from the
//! `ftop_lang` cookie, else the browser's Accept-Language, else English.

use axum::extract::Path;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect};

/// A UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Es,
    Zh,
}

impl Lang {
    pub(crate) const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Zh];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Zh => "zh",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
            Lang::Zh => "简体中文",
        }
    }

    fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        Lang::ALL
            .into_iter()
            .find(|l| s == l.code() || s.starts_with(&format!("{}-", l.code())))
    }

    /// The language of a request.
    pub(crate) fn of(headers: &HeaderMap) -> Lang {
        if let Some(l) = crate::auth::cookie(headers, "ftop_lang").and_then(|c| Lang::parse(&c)) {
            return l;
        }
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
            })
            .unwrap_or(Lang::En)
    }

    /// One of three texts, by language (for module-local text).
    pub(crate) fn pick(self, en: &'static str, es: &'static str, zh: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Es => es,
            Lang::Zh => zh,
        }
    }

    /// The text for `key` in this language (English when a translation is missing).
    pub(crate) fn t(self, key: &str) -> &'static str {
        let row = TEXT.iter().find(|(k, _, _, _)| *k == key);
        match (row, self) {
            (Some((_, en, _, _)), Lang::En) => en,
            (Some((_, _, es, _)), Lang::Es) => es,
            (Some((_, _, _, zh)), Lang::Zh) => zh,
            (None, _) => "?",
        }
    }

    /// A task status as shown (English: the program's own term, as the API keys it).
    pub(crate) fn task_status(self, s: ftop_domain::TaskStatus) -> &'static str {
        use ftop_domain::TaskStatus as S;
        let (es, zh) = match s {
            S::NotStarted => ("No iniciada", "未开始"),
            S::NotRequired => ("No requerida", "不需要"),
            S::InProgress => ("En curso", "进行中"),
            S::Complete => ("Completada", "已完成"),
            S::PausedCustomerDelay => ("En pausa: retraso del cliente", "暂停：客户延迟"),
            S::DeferredCustomerExtendedDelay => (
                "Aplazada: retraso prolongado del cliente",
                "延期：客户长期延迟",
            ),
            S::Warning => ("Advertencia", "警告"),
            S::BlockedPendingRemediation => {
                ("Bloqueada: pendiente de corrección", "受阻：等待修正")
            }
            S::BlockedTechnicalCustomer => ("Bloqueada: técnica, cliente", "受阻：技术（客户）"),
            S::BlockedBusiness => ("Bloqueada: negocio", "受阻：业务"),
            S::BlockedOther => ("Bloqueada: otro motivo", "受阻：其他"),
            S::BlockedTechnicalMs => ("Bloqueada: técnica, MS", "受阻：技术（MS）"),
            S::Cancelled => ("Cancelada", "已取消"),
        };
        self.pick(s.name(), es, zh)
    }

    /// A tenant's overall status as shown.
    pub(crate) fn overall_status(self, s: ftop_domain::OverallStatus) -> &'static str {
        use ftop_domain::OverallStatus as S;
        let (es, zh) = match s {
            S::Active => ("Activo", "进行中"),
            S::Blocked => ("Bloqueado", "受阻"),
            S::Paused => ("En pausa", "已暂停"),
        };
        self.pick(s.name(), es, zh)
    }
}

/// (key, English, Spanish, Chinese).
static TEXT: &[(&str, &str, &str, &str)] = &[
    ("app", "ftop", "ftop", "ftop"),
    ("sign-in", "Sign in", "Iniciar sesión", "登录"),
    ("sign-out", "Sign out", "Cerrar sesión", "退出"),
    ("name", "Name", "Nombre", "名称"),
    ("password", "Password", "Contraseña", "密码"),
    (
        "bad-sign-in",
        "The name or the password is wrong.",
        "El nombre o la contraseña no son correctos.",
        "用户名或密码错误。",
    ),
    (
        "throttled",
        "Too many failed sign-ins. Wait 15 minutes and try again.",
        "Demasiados intentos fallidos. Espere 15 minutos y vuelva a intentarlo.",
        "登录失败次数过多。请等待 15 分钟后重试。",
    ),
    ("tenants", "Tenants", "Inquilinos", "租户"),
    (
        "my-active",
        "My active tenants",
        "Mis inquilinos activos",
        "我的活动租户",
    ),
    (
        "my-inactive",
        "My inactive tenants",
        "Mis inquilinos inactivos",
        "我的非活动租户",
    ),
    (
        "all-tenants",
        "All tenants",
        "Todos los inquilinos",
        "所有租户",
    ),
    ("search", "Search", "Buscar", "搜索"),
    ("customer", "Customer", "Cliente", "客户"),
    ("tenant", "Tenant", "Inquilino", "租户"),
    ("status", "Status", "Estado", "状态"),
    ("priority", "Priority", "Prioridad", "优先级"),
    ("services", "Services", "Servicios", "服务"),
    ("seats", "Seats", "Puestos", "席位"),
    ("page-size", "Rows per page", "Filas por página", "每页行数"),
    ("previous", "Previous", "Anterior", "上一页"),
    ("next", "Next", "Siguiente", "下一页"),
    (
        "no-tenants",
        "No tenant matches.",
        "Ningún inquilino coincide.",
        "没有匹配的租户。",
    ),
    ("playbook", "Playbook", "Guía", "操作手册"),
    ("history", "History", "Historial", "历史记录"),
    (
        "overall-status",
        "Overall status",
        "Estado general",
        "总体状态",
    ),
    ("status-date", "Status date", "Fecha del estado", "状态日期"),
    ("status-note", "Status note", "Nota de estado", "状态说明"),
    ("task", "Task", "Tarea", "任务"),
    ("phase", "Phase", "Fase", "阶段"),
    ("role", "Role", "Rol", "角色"),
    ("mandatory", "Mandatory", "Obligatoria", "必需"),
    ("save", "Save", "Guardar", "保存"),
    (
        "read-only",
        "Read-only: you are not assigned to this tenant.",
        "Solo lectura: no está asignado a este inquilino.",
        "只读：您未被分配到此租户。",
    ),
    (
        "conflict",
        "Someone changed this task first. The page shows the current state; apply your change again.",
        "Otra persona cambió esta tarea antes. La página muestra el estado actual; vuelva a aplicar el cambio.",
        "其他人已先更改此任务。页面显示当前状态；请重新应用您的更改。",
    ),
    ("saved", "Saved.", "Guardado.", "已保存。"),
    ("not-found", "Not found", "No encontrado", "未找到"),
    ("language", "Language", "Idioma", "语言"),
    (
        "all-services",
        "All services",
        "Todos los servicios",
        "所有服务",
    ),
    (
        "tenant-wide",
        "Tenant-wide",
        "Todo el inquilino",
        "整个租户",
    ),
    ("filter", "Filter", "Filtrar", "筛选"),
    ("when", "When", "Cuándo", "时间"),
    ("who", "Who", "Quién", "人员"),
    ("what", "What", "Qué", "内容"),
    ("entitlements", "Entitlements", "Derechos", "授权"),
    ("qualified", "Qualified", "Aptos", "合格"),
    ("new-note", "Write a note", "Escribir una nota", "撰写说明"),
    ("notes", "Notes", "Notas", "说明"),
    ("note", "Note", "Nota", "说明"),
    ("category", "Category", "Categoría", "类别"),
    (
        "next-action",
        "Next action",
        "Siguiente acción",
        "下一步操作",
    ),
    ("save-draft", "Save draft", "Guardar borrador", "保存草稿"),
    ("time", "Time", "Tiempo", "时间"),
    ("minutes", "Minutes", "Minutos", "分钟"),
    ("date", "Date", "Fecha", "日期"),
    ("template", "Template", "Plantilla", "模板"),
    (
        "insert-template",
        "Insert template",
        "Insertar plantilla",
        "插入模板",
    ),
    (
        "template-overwrites",
        "Inserting a template replaces the text of the note: insert it before you start writing.",
        "Insertar una plantilla reemplaza el texto de la nota: insértela antes de empezar a escribir.",
        "插入模板会替换说明的正文：请在开始撰写之前插入。",
    ),
    (
        "no-template",
        "This category has no template. Templates exist for Engagement Management and Technical Enablement.",
        "Esta categoría no tiene plantilla. Hay plantillas para Engagement Management y Technical Enablement.",
        "此类别没有模板。Engagement Management 和 Technical Enablement 类别提供模板。",
    ),
    // error pages (H2)
    (
        "error-sign-in",
        "Sign-in needed",
        "Hace falta iniciar sesión",
        "需要登录",
    ),
    (
        "error-sign-in-text",
        "Sign in to open this page.",
        "Inicie sesión para abrir esta página.",
        "请登录后打开此页面。",
    ),
    ("error-forbidden", "Not allowed", "No permitido", "不允许"),
    (
        "error-forbidden-text",
        "Your role does not allow this.",
        "Su rol no permite hacer esto.",
        "您的角色不允许执行此操作。",
    ),
    (
        "error-csrf-text",
        "The form was refused: it did not carry this session's security token. Go back, reload the page and send it again.",
        "Se rechazó el formulario: no llevaba el token de seguridad de esta sesión. Vuelva atrás, recargue la página y envíelo de nuevo.",
        "表单被拒绝：它没有携带本次会话的安全令牌。请返回、重新加载页面后再次提交。",
    ),
    (
        "error-not-found-text",
        "There is nothing here, or you may not see it.",
        "Aquí no hay nada, o no tiene permiso para verlo.",
        "此处没有内容，或者您无权查看。",
    ),
    (
        "error-conflict",
        "Changed elsewhere",
        "Cambiado en otro lugar",
        "已在别处更改",
    ),
    (
        "error-conflict-text",
        "Someone else changed this first. Reload the page and make your change again.",
        "Otra persona lo cambió antes. Recargue la página y vuelva a hacer el cambio.",
        "其他人已先行更改。请重新加载页面后再次进行更改。",
    ),
    (
        "error-invalid",
        "Check the values",
        "Revise los valores",
        "请检查所填内容",
    ),
    (
        "error-invalid-text",
        "Some values cannot be used:",
        "Algunos valores no se pueden usar:",
        "部分内容无法使用：",
    ),
    ("error-refused", "Not possible", "No es posible", "无法执行"),
    (
        "error-refused-text",
        "This change cannot be made:",
        "Este cambio no se puede hacer:",
        "无法进行此更改：",
    ),
    (
        "error-bad-request",
        "Unreadable request",
        "Solicitud ilegible",
        "无法读取的请求",
    ),
    (
        "error-bad-request-text",
        "The request could not be read. Go back and try again from the page.",
        "No se pudo leer la solicitud. Vuelva atrás e inténtelo de nuevo desde la página.",
        "无法读取该请求。请返回并从页面重新尝试。",
    ),
    (
        "error-unavailable",
        "Try again shortly",
        "Inténtelo en un momento",
        "请稍后再试",
    ),
    (
        "error-unavailable-text",
        "The database cannot answer right now. Wait a moment and try again (reference {id}).",
        "La base de datos no puede responder ahora. Espere un momento y vuelva a intentarlo (referencia {id}).",
        "数据库暂时无法响应。请稍候再试（参考编号 {id}）。",
    ),
    (
        "error-internal",
        "Something went wrong",
        "Algo salió mal",
        "出现错误",
    ),
    (
        "error-internal-text",
        "Something failed on our side. If you report it, quote reference {id}.",
        "Algo falló de nuestro lado. Si lo comunica, indique la referencia {id}.",
        "我们这边出现了故障。如需报告，请提供参考编号 {id}。",
    ),
];

/// `GET /lang/{code}`: remembers the language and goes back.
pub(crate) async fn switch(Path(code): Path<String>, headers: HeaderMap) -> impl IntoResponse {
    let lang = Lang::parse(&code).unwrap_or(Lang::En);
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            r.find("://")
                .and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string()))
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    (
        [(
            header::SET_COOKIE,
            format!(
                "ftop_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ),
        )],
        Redirect::to(&back),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_three_languages() {
        for (k, en, es, zh) in TEXT {
            assert!(!en.is_empty() && !es.is_empty() && !zh.is_empty(), "{k}");
        }
        assert_eq!(Lang::Es.t("sign-in"), "Iniciar sesión");
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
    }
}
