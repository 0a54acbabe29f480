//! One route: its method, path pattern and handler. Page modules list theirs with `route`;
//! `routes::route_table` gathers the lists.

use axum::http::Method;
use axum::routing::MethodRouter;

use crate::AppState;

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub(crate) handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

pub(crate) fn route(method: Method, path: &'static str, handler: MethodRouter<AppState>) -> Route {
    Route {
        method,
        path,
        handler,
    }
}
