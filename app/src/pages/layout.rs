//! The page shell: header with who is signed in and the service navigation, notices, footer.
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::web::{ShellData, UserSummary};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The shell info (who is signed in, notices) for the current page, shared by the layout and pages.
#[derive(Clone, Copy)]
pub struct Shell(pub Resource<Result<ShellData, AppError>>);

pub fn use_shell() -> Option<Shell> {
    use_context::<Shell>()
}

fn nav_items(user: &Option<UserSummary>) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("/", "Funding rounds")];
    if let Some(user) = user {
        if user.roles.contains(&Role::BoardMember) || user.roles.contains(&Role::LayEvaluator) {
            items.push(("/assess", "Assessments"));
        }
        if user.roles.contains(&Role::Commissioner) {
            items.push(("/fund", "Funding"));
        }
        if user.roles.contains(&Role::BoardMember) || user.roles.contains(&Role::Commissioner) {
            items.push(("/board", "The Board"));
        }
        if user.roles.contains(&Role::PartnerApprover) {
            items.push(("/sign-off", "Sign-off"));
        }
        if user.roles.contains(&Role::Admin) {
            items.push(("/admin/users", "Users"));
        }
        items.push(("/bids", "Your bids"));
        items.push(("/organisations", "Your organisations"));
        items.push(("/account", "Your account"));
    }
    items
}

fn is_active(href: &str, path: &str) -> bool {
    if href == "/" {
        path == "/"
    } else {
        path == href || path.starts_with(&format!("{href}/"))
    }
}

/// The service navigation's "Menu" button on a phone: with JavaScript the list folds away
/// behind it (GOV.UK's collapsing service navigation); without, the button stays hidden and
/// the links wrap side by side.
#[island]
fn NavToggle() -> impl IntoView {
    let ready = RwSignal::new(false);
    let open = RwSignal::new(false);
    let list = |name: &str, value: &str| {
        #[cfg(feature = "hydrate")]
        if let Some(ul) = document().get_element_by_id("navigation") {
            let _ = ul.set_attribute(name, value);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (name, value);
    };
    Effect::new(move |_| {
        list("data-collapsible", "true");
        ready.set(true);
    });
    let toggle = move |_| {
        let now = !open.get_untracked();
        open.set(now);
        list("data-open", if now { "true" } else { "false" });
    };
    view! {
        <button type="button" class="govuk-service-navigation__toggle seedbed-nav-toggle" aria-controls="navigation"
            aria-expanded=move || open.get().to_string() hidden=move || !ready.get() on:click=toggle>
            "Menu"
        </button>
    }
}

#[component]
fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<crate::api::account::SignOut>::new();
    view! {
        <ActionForm action=action attr:class="seedbed-header__form">
            <button type="submit" class="seedbed-header__button">"Sign out"</button>
        </ActionForm>
    }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let location = use_location();
    // Worked out on the server for each page: pages do not hydrate (only islands do), so
    // every navigation and form post comes back as a new page with its own shell.
    let shell = Resource::new(
        move || (location.pathname.get(), location.search.get()),
        |(page, _)| crate::api::shell_info(page),
    );
    provide_context(Shell(shell));
    let info = move || shell.get().and_then(|r| r.ok()).unwrap_or_default();
    let notice = move || info().notice;
    view! {
        <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">"Skip to main content"</a>
        <header class="govuk-generic-header">
            <div class="govuk-generic-header__container govuk-width-container seedbed-header">
                <div class="govuk-generic-header__logo">
                    <a href="/" class="govuk-generic-header__homepage-link">"Seedbed"</a>
                </div>
                <div class="seedbed-header__account">
                    <Transition fallback=|| ()>
                        {move || match info().user {
                            Some(user) => view! {
                                <span class="seedbed-header__user">{user.full_name}</span>
                                <SignOutButton/>
                            }.into_any(),
                            None => view! {
                                <a class="seedbed-header__link" href="/account/sign-in">"Sign in"</a>
                            }.into_any(),
                        }}
                    </Transition>
                </div>
            </div>
        </header>
        <section class="govuk-service-navigation" aria-label="Service information" data-module="govuk-service-navigation">
            <div class="govuk-width-container">
                <div class="govuk-service-navigation__container">
                    <span class="govuk-service-navigation__service-name">
                        <span class="govuk-service-navigation__text">"Community seed funding"</span>
                    </span>
                    <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                        <NavToggle/>
                        <ul class="govuk-service-navigation__list" id="navigation">
                            <Transition fallback=|| ()>
                                {move || {
                                    let path = location.pathname.get();
                                    nav_items(&info().user).into_iter().map(|(href, label)| {
                                        let active = is_active(href, &path);
                                        view! {
                                            <li class=if active { "govuk-service-navigation__item govuk-service-navigation__item--active" } else { "govuk-service-navigation__item" }>
                                                <a class="govuk-service-navigation__link" href=href aria-current=active.then_some("page")>
                                                    {if active { view! { <strong class="govuk-service-navigation__active-fallback">{label}</strong> }.into_any() } else { label.into_any() }}
                                                </a>
                                            </li>
                                        }
                                    }).collect_view()
                                }}
                            </Transition>
                        </ul>
                    </nav>
                </div>
            </div>
        </section>
        <div class="govuk-width-container">
            <div class="govuk-phase-banner">
                <p class="govuk-phase-banner__content">
                    <strong class="govuk-tag govuk-phase-banner__content__tag">"Beta"</strong>
                    <span class="govuk-phase-banner__text">"This is a new service. Your "<a class="govuk-link" href="/contact#feedback">"feedback"</a>" will help us to improve it."</span>
                </p>
            </div>
            <main class="govuk-main-wrapper" id="main-content">
                <Transition fallback=|| ()>
                    {move || notice().map(|notice| view! { <crate::components::NotificationBanner text=notice success=true/> })}
                </Transition>
                {children()}
            </main>
        </div>
        <footer class="govuk-footer">
            <div class="govuk-width-container">
                <div class="govuk-footer__meta">
                    <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                        <h2 class="govuk-visually-hidden">"Support links"</h2>
                        <ul class="govuk-footer__inline-list">
                            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/contact">"Contact"</a></li>
                            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/accessibility">"Accessibility statement"</a></li>
                            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/privacy">"Privacy notice"</a></li>
                            <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/cookies">"Cookies"</a></li>
                        </ul>
                        <p class="govuk-body-s">"Seedbed is run by the Preventative Services Market Development Board for the council and the NHS integrated care board's pooled fund."</p>
                    </div>
                </div>
            </div>
        </footer>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::urlencode;

    fn user(roles: Vec<Role>) -> Option<UserSummary> {
        Some(UserSummary {
            id: 1,
            full_name: "A".into(),
            email: "a@example.org".into(),
            roles,
        })
    }

    #[test]
    fn navigation_follows_roles() {
        let public: Vec<_> = nav_items(&None).into_iter().map(|(_, l)| l).collect();
        assert_eq!(public, vec!["Funding rounds"]);
        let admin: Vec<_> = nav_items(&user(vec![Role::Admin]))
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            admin,
            vec![
                "Funding rounds",
                "Users",
                "Your bids",
                "Your organisations",
                "Your account"
            ]
        );
        let lay: Vec<_> = nav_items(&user(vec![Role::LayEvaluator, Role::Commissioner]))
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert_eq!(
            lay,
            vec![
                "Funding rounds",
                "Assessments",
                "Funding",
                "The Board",
                "Your bids",
                "Your organisations",
                "Your account"
            ]
        );
        let board: Vec<_> = nav_items(&user(vec![Role::BoardMember]))
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert!(board.contains(&"The Board"));
        let carer: Vec<_> = nav_items(&user(vec![Role::LayEvaluator]))
            .into_iter()
            .map(|(_, l)| l)
            .collect();
        assert!(
            !carer.contains(&"The Board"),
            "the Board's list is for members"
        );
    }

    #[test]
    fn active_link_matches_sections() {
        assert!(is_active("/", "/"));
        assert!(!is_active("/", "/admin/users"));
        assert!(is_active("/admin/users", "/admin/users/4"));
        assert!(!is_active("/admin/users", "/admin/usersx"));
    }

    #[test]
    fn encodes_next_paths() {
        assert_eq!(urlencode("/admin/users?q=a b"), "/admin/users%3Fq%3Da%20b");
    }
}
