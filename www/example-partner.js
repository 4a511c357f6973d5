// The example partner page's own script: it listens for the form's decisions and turns
// them into a "next step" in its own words. A partner writes this part; Eligo does not.

const next = document.getElementById('np-next');
const form = document.getElementById('referral');

const SERVICES = {
  victims_gateway: 'the Victims Gateway',
  marac: 'a MARAC (multi-agency risk assessment conference)',
  idva: 'an Independent Domestic Violence Adviser',
  isva: 'an Independent Sexual Violence Adviser',
  nrm: 'the National Referral Mechanism',
  duty_to_notify: 'the Home Office (Duty to Notify)',
  fgm_mandatory_report: 'the police (FGM mandatory report)',
  cse_cce_service: 'the child exploitation service',
  business_crime_advisor: 'the Business Crime Advisor',
  restorative_justice_hub: 'the Restorative Justice Hub',
  parent_guardian_rights: 'a parent or guardian',
};

// #np-next is a live region: change it only when the words change, or a screen reader reads
// the same next step again after every answer.
function say(text) {
  if (next.textContent !== text) next.textContent = text;
}

form.addEventListener('eligo-decision', (e) => {
  const { decision } = e.detail;
  if (!decision) {
    say('Answer the questions and your next step will appear here.');
    return;
  }
  const pathways = Array.isArray(decision.values.pathways) ? decision.values.pathways : [];
  if (pathways.length === 0) {
    say('Call our support line and we will talk through what help is available.');
    return;
  }
  const first = pathways[0];
  const who = SERVICES[first.service] || first.service.replaceAll('_', ' ');
  say(`We can refer you to ${who}${pathways.length > 1 ? ` and ${pathways.length - 1} more service${pathways.length > 2 ? 's' : ''}` : ''}. Call us to start.`);
});
