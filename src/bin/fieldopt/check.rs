//! `fieldopt check`: verifies any plan, including a hand-made one, against a problem.

use std::path::Path;

use serde_json::{json, Map, Value};

use fieldopt::plan::verify::{verify, Verification};
use fieldopt::plan::{Kpis, Plan, PLAN_FORMAT};

use crate::{emit, load_problem, note, CheckArgs, CmdResult, Fail, EXIT_INFEASIBLE, EXIT_OK};

/// At most this many structural errors of a plan are printed.
const SHOW_ERRORS: usize = 20;

/// Runs `fieldopt check`.
pub fn run(a: &CheckArgs) -> CmdResult {
    let loaded = load_problem(&a.problem).and_then(|p| Ok((p, load_plan(&a.plan)?)));
    let (problem, plan) = match loaded {
        Ok(x) => x,
        Err(f) if a.json => {
            let doc = json!({"feasible": false, "invalid_input": true, "errors": [f.message],
                             "violations": [], "kpis": {}});
            emit(None, &format!("{doc}\n"))?;
            return Err(f);
        }
        Err(f) => return Err(f),
    };
    let v = verify(&problem, &plan);
    let text = if a.json { json_report(&v) } else { text_report(a, &v) };
    emit(None, &text)?;
    Ok(if v.feasible { EXIT_OK } else { EXIT_INFEASIBLE })
}

/// Reads a plan document: JSON, then the structural rules of the reference checker (with
/// path-named errors), then into [`Plan`]. Missing stop times, `unassigned` or `format` are
/// accepted (stop times are never read) so hand-made plans need only ids.
pub fn load_plan(path: &Path) -> Result<Plan, Fail> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fail::input(format!("{shown}: cannot read plan: {e}")))?;
    let mut doc: Value = serde_json::from_str(&text)
        .map_err(|e| Fail::input(format!("{shown}: plan is not valid JSON: {e}")))?;
    let errors = normalize_plan(&mut doc);
    if !errors.is_empty() {
        let n = errors.len();
        let plural = if n == 1 { "" } else { "s" };
        let mut msg = format!("{shown}: invalid plan document ({n} error{plural})");
        for e in errors.iter().take(SHOW_ERRORS) {
            msg.push_str("\n  ");
            msg.push_str(e);
        }
        if errors.len() > SHOW_ERRORS {
            msg.push_str(&format!("\n  ... and {} more", errors.len() - SHOW_ERRORS));
        }
        return Err(Fail::input(msg));
    }
    serde_path_to_error::deserialize(doc).map_err(|e| {
        Fail::input(format!("{shown}: invalid plan document: plan.{}: {}", e.path(), e.inner()))
    })
}

/// Checks the plan's structure like `check_plan.py` and fills what [`Plan`] needs but the
/// format leaves optional. Returns the errors, each starting with its field path.
fn normalize_plan(doc: &mut Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = doc.as_object_mut() else {
        return vec!["plan: top level must be a JSON object".to_string()];
    };
    match top.get("format") {
        None | Some(Value::Null) => {
            note!("warning: plan has no \"format\" field (expected {PLAN_FORMAT})");
            top.insert("format".into(), PLAN_FORMAT.into());
        }
        Some(f) if f != PLAN_FORMAT => {
            errors.push(format!("plan.format: expected \"{PLAN_FORMAT}\", got {f}"));
        }
        Some(_) => {}
    }
    if !top.get("problem").is_none_or(Value::is_string) {
        top.remove("problem");
    }
    // KPIs in a plan are the writer's claims; the checker recomputes them.
    top.remove("kpis");
    match top.get_mut("routes").and_then(Value::as_array_mut) {
        Some(routes) => {
            for (ri, r) in routes.iter_mut().enumerate() {
                route(&format!("plan.routes[{ri}]"), r, &mut errors);
            }
        }
        None => errors.push("plan.routes: missing or not a list".to_string()),
    }
    let un = top.entry("unassigned").or_insert(Value::Array(Vec::new()));
    if un.is_null() {
        *un = Value::Array(Vec::new());
    }
    match un.as_array_mut() {
        Some(list) => {
            for (ui, u) in list.iter_mut().enumerate() {
                let Some(o) =
                    u.as_object_mut().filter(|o| o.get("job").is_some_and(Value::is_string))
                else {
                    errors.push(format!(
                        "plan.unassigned[{ui}]: must be an object {{\"job\": id, \"reason\": text}}"
                    ));
                    continue;
                };
                for key in ["reason", "code"] {
                    if !o.get(key).is_some_and(Value::is_string) {
                        o.insert(key.into(), "".into());
                    }
                }
            }
        }
        None => errors.push("plan.unassigned: must be a list".to_string()),
    }
    errors
}

fn route(p: &str, r: &mut Value, errors: &mut Vec<String>) {
    let Some(o) = r.as_object_mut() else {
        errors.push(format!("{p}: must be an object {{technician, stops}}"));
        return;
    };
    match o.get("technician") {
        Some(Value::String(_)) => {}
        t => {
            let t = t.map_or("nothing".to_string(), Value::to_string);
            errors.push(format!("{p}.technician: must be a technician id string, got {t}"));
        }
    }
    let stops = o.entry("stops").or_insert(Value::Array(Vec::new()));
    if stops.is_null() {
        *stops = Value::Array(Vec::new());
    }
    let Some(stops) = stops.as_array_mut() else {
        errors.push(format!("{p}.stops: must be a list"));
        return;
    };
    for (si, s) in stops.iter_mut().enumerate() {
        let sp = format!("{p}.stops[{si}]");
        let Some(s) = s.as_object_mut() else {
            errors.push(format!("{sp}: must be an object"));
            continue;
        };
        let is_break = s.get("break") == Some(&Value::Bool(true));
        let times: &[&str] = if is_break {
            s.remove("job");
            &["start", "end"]
        } else {
            match s.get("job") {
                Some(Value::String(_)) => {}
                Some(j) => {
                    errors.push(format!("{sp}.job: must be a job id string, got {j}"));
                    continue;
                }
                None => {
                    errors.push(format!("{sp}: a stop needs \"job\": id or \"break\": true"));
                    continue;
                }
            }
            s.remove("break");
            &["arrival", "start", "end"]
        };
        // Stop times are the writer's schedule and are never read: fill what is missing.
        for key in times {
            if !s.get(*key).is_some_and(|v| v.as_f64().is_some_and(f64::is_finite)) {
                s.insert((*key).into(), json!(0.0));
            }
        }
    }
}

/// The KPIs as JSON, without the engine-only `objective`.
fn kpi_map(k: &Kpis) -> Map<String, Value> {
    let mut m = match serde_json::to_value(k) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    m.remove("objective");
    m
}

fn json_report(v: &Verification) -> String {
    let doc = json!({"feasible": v.feasible, "violations": v.violations, "kpis": kpi_map(&v.kpis)});
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn text_report(a: &CheckArgs, v: &Verification) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let verdict = if v.feasible { "FEASIBLE" } else { "INFEASIBLE" };
    let _ = writeln!(out, "{verdict}  ({} vs {})", a.plan.display(), a.problem.display());
    let n = v.violations.len();
    if n > 0 {
        let _ = writeln!(out, "{n} violation{}:", if n == 1 { "" } else { "s" });
    }
    for x in &v.violations {
        let mut at = Vec::new();
        if let Some(r) = x.route {
            at.push(format!("route {r}"));
        }
        if let Some(t) = &x.technician {
            at.push(format!("({t})"));
        }
        if let Some(s) = x.stop {
            at.push(format!("stop {s}"));
        }
        if let Some(j) = &x.job {
            at.push(format!("[{j}]"));
        }
        let at = if at.is_empty() { String::new() } else { format!("{}: ", at.join(" ")) };
        let _ = writeln!(out, "  {:<20} {at}{}", x.kind, x.message);
    }
    out.push_str("KPIs:\n");
    let k = &v.kpis;
    let rate = k.preferred_rate.map_or("n/a".to_string(), |r| format!("{r:.3}"));
    let rows: [(&str, String); 15] = [
        ("jobs", k.jobs.to_string()),
        ("assigned", k.assigned.to_string()),
        ("unassigned", k.unassigned.to_string()),
        ("priority_assigned", k.priority_assigned.to_string()),
        ("priority_total", k.priority_total.to_string()),
        ("technicians_used", k.technicians_used.to_string()),
        ("travel_time", format!("{:.3}", k.travel_time)),
        ("travel_distance", format!("{:.3}", k.travel_distance)),
        ("work_time", format!("{:.3}", k.work_time)),
        ("overtime", format!("{:.3}", k.overtime)),
        ("labor_cost", format!("{:.3}", k.labor_cost)),
        ("preferred_rate", rate),
        ("overqualification", k.overqualification.to_string()),
        ("workload_spread", format!("{:.3}", k.workload_spread)),
        ("unassigned_cost", format!("{:.3}", k.unassigned_cost)),
    ];
    for (name, value) in rows {
        let _ = writeln!(out, "  {name:<18} {value}");
    }
    out
}
