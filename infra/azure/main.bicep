// attest-bot on Azure Container Apps with a user-assigned managed identity for Kusto.
// Deploy: az deployment group create -g <rg> -f infra/azure/main.bicep -p image=<registry>/attest-bot:<tag> ...
// Afterwards grant the identity read access on the Kusto database (Kusto "Viewer" role):
//   .add database ['<database>'] viewers ('aadapp=<identityClientId>;<tenantId>')
@description('Container image of attest-bot.')
param image string
@description('Kusto cluster URL, e.g. https://mycluster.westeurope.kusto.windows.net')
param kustoClusterUrl string
@description('Kusto database holding MonSQLSystemHealth.')
param kustoDatabase string
@description('Bot Framework app id (Azure Bot resource).')
param microsoftAppId string
@description('Tenant of the bot registration (single tenant).')
param microsoftAppTenantId string
@secure()
@description('Bot Framework client secret.')
param microsoftAppPassword string
@description('Comma-separated tenant ids allowed to use the bot in Teams.')
param teamsAllowedTenants string
@secure()
@description('Slack signing secret (empty: Slack off).')
param slackSigningSecret string = ''
@secure()
@description('Slack bot token (empty: Slack off).')
param slackBotToken string = ''
param location string = resourceGroup().location

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'attest-bot-id'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: 'attest-bot-logs'
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource env 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: 'attest-bot-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: 'attest-bot'
  location: location
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identity.id}': {} } }
  properties: {
    managedEnvironmentId: env.id
    configuration: {
      ingress: { external: true, targetPort: 3978 }
      secrets: [
        { name: 'bot-password', value: microsoftAppPassword }
        { name: 'slack-signing-secret', value: slackSigningSecret }
        { name: 'slack-bot-token', value: slackBotToken }
      ]
    }
    template: {
      // One replica: the scheduler's delivery claims make more safe, but one is enough.
      scale: { minReplicas: 1, maxReplicas: 1 }
      containers: [
        {
          name: 'attest-bot'
          image: image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: [
            { name: 'ATTEST_KUSTO_CLUSTER_URL', value: kustoClusterUrl }
            { name: 'ATTEST_KUSTO_DATABASE', value: kustoDatabase }
            { name: 'ATTEST_KUSTO_MANAGED_IDENTITY_CLIENT_ID', value: identity.properties.clientId }
            { name: 'MicrosoftAppId', value: microsoftAppId }
            { name: 'MicrosoftAppType', value: 'SingleTenant' }
            { name: 'MicrosoftAppTenantId', value: microsoftAppTenantId }
            { name: 'MicrosoftAppPassword', secretRef: 'bot-password' }
            { name: 'ATTEST_TEAMS_ALLOWED_TENANTS', value: teamsAllowedTenants }
            { name: 'SLACK_SIGNING_SECRET', secretRef: 'slack-signing-secret' }
            { name: 'SLACK_BOT_TOKEN', secretRef: 'slack-bot-token' }
          ]
          probes: [
            { type: 'Liveness', httpGet: { path: '/healthz', port: 3978 } }
            { type: 'Readiness', httpGet: { path: '/readyz', port: 3978 } }
          ]
        }
      ]
    }
  }
}

output botEndpoint string = 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
output identityClientId string = identity.properties.clientId
