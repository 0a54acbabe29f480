// Lets GOV.UK Frontend styles know scripts run. An external file, because the
// Content-Security-Policy allows no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
