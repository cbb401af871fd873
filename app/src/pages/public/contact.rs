//! Contact the commissioning team, and give feedback on the service. The addresses are the
//! portal's settings (SEEDBED_CONTACT_*).
use crate::api::public::contact_details;
use crate::components::{error_view, PageTitle};
use crate::web::Contact;
use leptos::prelude::*;

#[component]
pub fn ContactPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| contact_details());
    view! {
        <PageTitle text="Contact the commissioning team"/>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_view(e),
                    Ok(c) => contact_view(c).into_any(),
                }
            })}
        </Transition>
    }
}

fn contact_view(c: Contact) -> impl IntoView {
    let mailto = format!("mailto:{}", c.email);
    let feedback = format!("mailto:{}?subject=Feedback%20on%20Seedbed", c.email);
    let phone_link = format!("tel:{}", c.phone.replace(' ', ""));
    let address = c
        .address
        .split(',')
        .map(|line| line.trim().to_string())
        .filter(|line| !line.is_empty())
        .map(|line| view! { <span>{line}</span><br/> })
        .collect_view();
    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Contact the commissioning team"</h1>
                <p class="govuk-body">"The commissioning team runs the seed fund for the Preventative Services Market Development Board. Contact us about a funding round, your bid or your funded scheme, or if your organisation's details are wrong and you cannot change them."</p>
                <h2 class="govuk-heading-m">"Email"</h2>
                <p class="govuk-body"><a class="govuk-link" href=mailto>{c.email.clone()}</a></p>
                <p class="govuk-body">"We reply within 5 working days. Tell us the name of your organisation and, if you have one, your bid's reference."</p>
                <h2 class="govuk-heading-m">"Phone"</h2>
                <p class="govuk-body"><a class="govuk-link" href=phone_link>{c.phone.clone()}</a><br/>{c.hours.clone()}</p>
                <p class="govuk-body"><a class="govuk-link" href="https://www.gov.uk/call-charges" rel="external">"Find out about call charges"</a></p>
                <h2 class="govuk-heading-m">"Post"</h2>
                <p class="govuk-body">{address}</p>
                <h2 class="govuk-heading-m">"Help to bid"</h2>
                <p class="govuk-body">"If you are a small or volunteer-run group and need help to write a bid, plan your budget or work out how your service will pay its own way, contact us before the round closes. We can talk it through with you or put you in touch with local support."</p>
                <h2 class="govuk-heading-m" id="feedback">"Give feedback on Seedbed"</h2>
                <p class="govuk-body">"Seedbed is a new service. Tell us what worked, what did not, and what you could not find."</p>
                <p class="govuk-body"><a class="govuk-link" href=feedback>"Email your feedback"</a></p>
                <h2 class="govuk-heading-m">"Another format"</h2>
                <p class="govuk-body">"If you need information from this service in another format, such as large print, easy read or audio, contact us by email or phone. "<a class="govuk-link" href="/accessibility">"Read the accessibility statement"</a>"."</p>
            </div>
        </div>
    }
}
