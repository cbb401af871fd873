use super::WithFlashedForm;
use crate::api::account::{
    registered_email, reset_email, token_status, ForgotPassword, Register, ResetPassword, SignIn,
    VerifyEmail,
};
use crate::components::{
    error_view, BackLink, Button, ErrorSummary, FormErrors, PageTitle, PasswordInput, SummaryList,
    SummaryRow, TextInput,
};
use crate::pages::layout::use_shell;
use crate::web::FlashedForm;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const PASSWORD_HINT: &str = "Use 12 characters or more. A good way to make a strong password is to use three random words. You can paste a password from a password manager";

#[component]
pub fn RegisterPage() -> impl IntoView {
    view! { <WithFlashedForm form="register" render=register_form/> }
}

fn register_form(stored: FlashedForm) -> impl IntoView {
    let action = ServerAction::<Register>::new();
    let errors = FormErrors::from_stored(&stored);
    view! {
        <PageTitle text="Create a Seedbed account" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Create a Seedbed account"</h1>
                <p class="govuk-body">"You need an account to bid for seed funding for your organisation, or to assess bids if you are on a panel."</p>
                <ActionForm action=action attr:novalidate=true>
                    <TextInput name="full_name" label="Full name" value=stored.value("full_name")
                        error=errors.for_field("full_name") autocomplete="name" spellcheck=false/>
                    <TextInput name="email" label="Email address" hint="We will send you an email to confirm this address"
                        value=stored.value("email") error=errors.for_field("email") input_type="email"
                        autocomplete="email" spellcheck=false/>
                    <PasswordInput name="password" label="Create a password" hint=PASSWORD_HINT
                        error=errors.for_field("password") autocomplete="new-password"/>
                    <PasswordInput name="confirm_password" label="Confirm password"
                        error=errors.for_field("confirm_password") autocomplete="new-password"/>
                    <Button text="Create account"/>
                </ActionForm>
                <p class="govuk-body">"Already have an account? "<a class="govuk-link" href="/account/sign-in">"Sign in"</a></p>
            </div>
        </div>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let email = Resource::new(|| (), |_| registered_email());
    view! {
        <PageTitle text="Check your email"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Check your email"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match email.await.ok().flatten() {
                            Some(address) => view! { <p class="govuk-body">"We have sent an email to "<strong>{address}</strong>"."</p> }.into_any(),
                            None => view! { <p class="govuk-body">"We have sent you an email."</p> }.into_any(),
                        }
                    })}
                </Suspense>
                <p class="govuk-body">"Open the link in the email to confirm your email address. The link expires in 24 hours."</p>
                <p class="govuk-body">"If you cannot find the email, check your spam folder. If the link has expired, "
                    <a class="govuk-link" href="/account/sign-in">"sign in"</a>" and we will send you a new one."</p>
            </div>
        </div>
    }
}

fn query_token() -> String {
    use_query_map()
        .get_untracked()
        .get("token")
        .unwrap_or_default()
}

#[component]
fn LinkExpired(
    #[prop(into)] what: String,
    #[prop(into)] href: String,
    #[prop(into)] link_text: String,
) -> impl IntoView {
    view! {
        <PageTitle text="This link has expired"/>
        <h1 class="govuk-heading-l">"This link has expired"</h1>
        <p class="govuk-body">{format!("The link to {what} has expired or has already been used.")}</p>
        <p class="govuk-body"><a class="govuk-link" href=href>{link_text}</a></p>
    }
}

/// A page reached from an emailed link: the form when the link is live, else "expired".
#[component]
fn EmailLinkPage(
    purpose: &'static str,
    form: &'static str,
    render: fn(FlashedForm, String) -> AnyView,
    expired_what: &'static str,
    expired_href: &'static str,
    expired_link_text: &'static str,
) -> impl IntoView {
    let token = query_token();
    let token_for_check = token.clone();
    let live = Resource::new(
        move || token_for_check.clone(),
        move |t| token_status(t, purpose.into()),
    );
    let stored = Resource::new(|| (), move |_| crate::api::form_state(form.to_string()));
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let token = token.clone();
                Suspend::new(async move {
                    let stored = stored.await.unwrap_or_default();
                    if live.await.unwrap_or(false) {
                        render(stored, token)
                    } else {
                        view! { <LinkExpired what=expired_what href=expired_href link_text=expired_link_text/> }.into_any()
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <EmailLinkPage purpose="verify" form="verify" render=|stored, token| verify_form(stored, token).into_any()
            expired_what="confirm your email address" expired_href="/account/sign-in" expired_link_text="Sign in to get a new link"/>
    }
}

fn verify_form(stored: FlashedForm, token: String) -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let errors = FormErrors::from_stored(&stored);
    view! {
        <PageTitle text="Confirm your email address" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Confirm your email address"</h1>
                <p class="govuk-body">"Select the button to confirm this is your email address and finish creating your account."</p>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="token" value=token/>
                    <Button text="Confirm email address"/>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    view! { <WithFlashedForm form="sign_in" render=sign_in_form/> }
}

fn sign_in_form(stored: FlashedForm) -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let errors = FormErrors::from_stored(&stored);
    let next = use_query_map()
        .get_untracked()
        .get("next")
        .unwrap_or_default();
    view! {
        <PageTitle text="Sign in to Seedbed" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Sign in to Seedbed"</h1>
                <ActionForm action=action attr:novalidate=true>
                    <TextInput name="email" label="Email address" value=stored.value("email")
                        error=errors.for_field("email") input_type="email" autocomplete="email" spellcheck=false/>
                    <PasswordInput name="password" label="Password" error=errors.for_field("password") autocomplete="current-password"/>
                    {(!next.is_empty()).then(|| view! { <input type="hidden" name="next" value=next.clone()/> })}
                    <Button text="Sign in"/>
                </ActionForm>
                <p class="govuk-body"><a class="govuk-link" href="/account/forgot-password">"I have forgotten my password"</a></p>
                <h2 class="govuk-heading-m">"If you do not have an account"</h2>
                <p class="govuk-body"><a class="govuk-link" href="/account/register">"Create a Seedbed account"</a></p>
            </div>
        </div>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    view! { <WithFlashedForm form="forgot_password" render=forgot_form/> }
}

fn forgot_form(stored: FlashedForm) -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let errors = FormErrors::from_stored(&stored);
    view! {
        <PageTitle text="Reset your password" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <BackLink href="/account/sign-in"/>
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Reset your password"</h1>
                <p class="govuk-body">"Enter the email address you use for Seedbed. If it has an account, we will email you a link to choose a new password."</p>
                <ActionForm action=action attr:novalidate=true>
                    <TextInput name="email" label="Email address" value=stored.value("email")
                        error=errors.for_field("email") input_type="email" autocomplete="email" spellcheck=false/>
                    <Button text="Send reset link"/>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
pub fn ForgotSentPage() -> impl IntoView {
    let email = Resource::new(|| (), |_| reset_email());
    view! {
        <PageTitle text="Check your email"/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Check your email"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let address = email.await.ok().flatten().unwrap_or_else(|| "the address you gave".into());
                        view! { <p class="govuk-body">"If "<strong>{address}</strong>" has a Seedbed account, we have sent it a link to reset your password."</p> }
                    })}
                </Suspense>
                <p class="govuk-body">"The link expires in 1 hour and can be used once."</p>
                <p class="govuk-body"><a class="govuk-link" href="/account/forgot-password">"Send another link"</a></p>
            </div>
        </div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! {
        <EmailLinkPage purpose="reset" form="reset_password" render=|stored, token| reset_form(stored, token).into_any()
            expired_what="reset your password" expired_href="/account/forgot-password" expired_link_text="Ask for a new link"/>
    }
}

fn reset_form(stored: FlashedForm, token: String) -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let errors = FormErrors::from_stored(&stored);
    view! {
        <PageTitle text="Choose a new password" errors=errors/>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors/>
                <h1 class="govuk-heading-l">"Choose a new password"</h1>
                <ActionForm action=action attr:novalidate=true>
                    <input type="hidden" name="token" value=token/>
                    <PasswordInput name="password" label="New password" hint=PASSWORD_HINT
                        error=errors.for_field("password") autocomplete="new-password"/>
                    <PasswordInput name="confirm_password" label="Confirm new password"
                        error=errors.for_field("confirm_password") autocomplete="new-password"/>
                    <Button text="Change password"/>
                </ActionForm>
            </div>
        </div>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let shell = use_shell();
    view! {
        <PageTitle text="Your account"/>
        <Suspense fallback=|| ()>
            {move || shell.and_then(|s| s.0.get()).map(|info| match info {
                Ok(info) => match info.user {
                    Some(user) => {
                        let roles = if user.roles.is_empty() {
                            "Applicant: you can bid for funding for your organisation. If you sit on a panel or commission services, an admin gives you that role".to_string()
                        } else {
                            user.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join(", ")
                        };
                        view! {
                            <h1 class="govuk-heading-l">"Your account"</h1>
                            <SummaryList rows=vec![
                                SummaryRow::new("Name", user.full_name.clone()),
                                SummaryRow::new("Email address", user.email.clone()),
                                SummaryRow::new("Roles", roles),
                            ]/>
                            {user.roles.is_empty().then(|| view! {
                                <p class="govuk-body"><a class="govuk-link" href="/bids">"Go to your bids"</a>" to register your organisation or start a bid."</p>
                            })}
                            <h2 class="govuk-heading-m">"Your password"</h2>
                            <p class="govuk-body"><a class="govuk-link" href="/account/forgot-password">"Change your password"</a>" by email."</p>
                        }.into_any()
                    }
                    None => error_view(crate::error::AppError::Unauthenticated),
                },
                Err(e) => error_view(e),
            })}
        </Suspense>
    }
}
